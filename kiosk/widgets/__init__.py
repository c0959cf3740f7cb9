"""Finger-sized widgets of the kiosk: buttons, toggles, offer cards, on-screen keyboards."""
from .buttons import BigButton, Toggle
from .cards import OfferCard, Plain
from .keyboard import NumberPad, OnScreenKeyboard

__all__ = ["BigButton", "NumberPad", "OfferCard", "OnScreenKeyboard", "Plain", "Toggle"]
