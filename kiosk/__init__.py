"""The touchscreen kiosk: a Textual app for finding help offers at a Dritte Ort in Kreis Steinfurt."""
