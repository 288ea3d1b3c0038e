"""The annotation loop: the models' predictions out to Prodigy or Label Studio, the answers back in.

- ``tasks``: what one letter offers an annotator (``LetterTask``, ``ItemTask``): its text and
  the hash of it, the items as read, the models' reasons and entity spans, and how unsure
  the models are about each item.
- ``select``: which letters to annotate first (``uncertain``, ``random``, ``all``).
- ``prodigy`` and ``label_studio``: each tool's task files out, and its answer export read
  back as ``Answer`` records.
- ``answers``: answers assembled into gold letters (or stand-off records), with every
  conflict, changed text and unanswered part reported.
- ``export``: ``imr annotate export`` from inputs to task files.
- ``user_sets``: annotation files named by a training config (``[[user]]``), read for
  ``imr train``.
- ``curve``: the learning curve on the real pool (``imr annotate curve``).
"""
