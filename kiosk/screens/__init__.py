"""The screens of the kiosk, one idea each: home, results, offer, search, language, volunteer."""
