"""What is drawn: link-preview cards, the impact charts, QR codes, the icon, and the fonts
they draw text in."""
