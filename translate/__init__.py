"""translate: mixed French/Spanish/English documents to English, side by side.

Pipeline stages, one module each: read (``formats``) -> segment (``segment``) ->
translate (``translator`` over an ``engines`` backend) -> align (``align``) ->
write (``writers``); ``batch`` drives them over a folder and ``cli`` is the
command-line layer. Heavy libraries (torch, transformers, langdetect) are only
imported by the stages that need them so that ``translate --help`` stays instant.
"""

from translate._distribution import DISTRIBUTION, __version__

__all__ = ["DISTRIBUTION", "__version__"]
