"""Every write of work guides: guides.py (the guide, its steps and images, its status) and
pdf.py (the PDF printed in the background)."""
