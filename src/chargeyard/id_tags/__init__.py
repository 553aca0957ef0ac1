"""ID tags (RFID cards, app tokens, ...) and the rules that authorize them."""
