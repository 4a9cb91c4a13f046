# SPDX-License-Identifier: GPL-2.0-or-later
# Sphinx configuration of the vappliance user guide (Debian's python3-sphinx).
# `make -C doc html` builds it with warnings as errors.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "_ext"))

project = "vappliance"
author = "the vappliance developers"
copyright = "2026, the vappliance developers"
release = "0.1.0"
extensions = ["vapp_clicmd"]
master_doc = "index"
exclude_patterns = ["_build", "examples"]
html_theme = "alabaster"
html_static_path = []
# plain ``literal`` blocks are command lines and outputs, not Python
highlight_language = "none"
