"""The installed project's identity, in one place: its distribution name and version.

``translate_mixed_launcher`` looks for this module to tell this project's ``translate``
package from other packages of the same name (translate-toolkit, the index's ``translate``).
"""

DISTRIBUTION = "translate-mixed"
__version__ = "0.2.0"
