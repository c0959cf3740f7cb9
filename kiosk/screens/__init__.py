"""The screens of the kiosk, one idea each: home, more topics, for whom, results, towns, offer, my
list, QR codes, search, language, the speech menu, the idle warning, volunteer and place."""
