"""Activity files in and out: the boundary between files and ``training.activity``.

Readers (bytes in, ``Activity`` objects out; they raise only ``ActivityFileError``):
    fit       FIT activity files (fitdecode, with the Garmin FIT SDK as fallback)
    gpx       GPX tracks
    tcx       TCX activities
    xml       safe XML parsing shared by the GPX and TCX readers
    track     summary maths over samples and the plausibility checks readers share
    sources   what an import reads: files, folders, zip archives, Strava exports,
              uploads, with the size limits

Writers:
    fit_workout  a planned session as a FIT workout file

Nothing here touches the database; the store keeps what the readers return.
"""
