"""Delivery to the e-archive stage.

Package settings, the package plan, METS and PREMIS, streaming
files into a folder or zip, and ``verify`` with its CSIP/SIP requirements.

May import ``entries`` and below.
"""
