"""`arandu review`: a local web page to label an audit sheet, record by record."""
