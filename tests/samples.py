"""Sample transcript text: plain Portuguese that passes the heuristic stage, and the kinds only an LLM sees."""

from __future__ import annotations

import random

SENTENCES = (
    "Eu nasci numa cidade pequena do interior, perto de um rio largo e calmo.",
    "Meu pai trabalhava na roça desde cedo e minha mãe cuidava da casa e dos filhos.",
    "Quando chovia muito, a estrada de terra ficava intransitável por vários dias.",
    "A escola ficava longe, então a gente acordava antes do sol para caminhar até lá.",
    "Lembro bem das festas juninas, com fogueira, quadrilha e comida feita em casa.",
    "Depois de adulto, mudei para a capital procurando emprego e um pouco de estudo.",
    "No começo foi difícil, porque eu não conhecia ninguém e o dinheiro era curto.",
    "Trabalhei numa padaria, depois numa oficina mecânica e mais tarde numa loja.",
    "Minha avó contava histórias antigas sobre a chegada da família àquela região.",
    "Ela dizia que os primeiros moradores plantavam mandioca, milho e feijão.",
    "Hoje muita coisa mudou, a cidade cresceu e quase ninguém mais vive da lavoura.",
    "Ainda assim, sempre que posso, volto para visitar os parentes e os amigos.",
    "O que mais sinto falta é do silêncio das noites e do cheiro de terra molhada.",
    "Meus filhos cresceram ouvindo essas lembranças e gostam de perguntar detalhes.",
    "Acho importante guardar essas memórias para quem vier depois de nós.",
    "A vizinhança se ajudava muito, principalmente na época da colheita.",
    "Tinha um senhor que consertava rádios e todo mundo passava a tarde na oficina dele.",
    "Aos domingos a praça enchia de gente conversando depois da missa.",
)
ENGLISH = (
    "And then we went back to the house, and you know, that is what we did with the kids every summer. "
    "This is the part that we are still talking about with the family."
)
OUTRO = "Obrigado por assistir, inscreva-se no canal e ative o sininho."


def portuguese_text(seed: int, sentences: int = 6) -> str:
    """A varied Portuguese paragraph: at least 200 characters and 30 words, no phrase repeated."""
    rng = random.Random(seed)
    return " ".join(rng.sample(SENTENCES, sentences))
