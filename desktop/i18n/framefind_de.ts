<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>{folder} is not there</source>
        <translation>{folder} ist nicht da</translation>
    </message>
    <message>
        <source>{folder} is empty</source>
        <translation>{folder} ist leer</translation>
    </message>
    <message>
        <source>{folder} is on another device now</source>
        <translation>{folder} liegt jetzt auf einem anderen Gerät</translation>
    </message>
    <message>
        <source>{folder} lost {vanished} of its {total} files at once</source>
        <translation>{folder} hat {vanished} seiner {total} Dateien auf einmal verloren</translation>
    </message>
    <message>
        <source>Another Framefind indexer (pid {pid}) is already writing to {folder}. Stop it first (it may be `framefind watch` or the desktop app), or use another --data-dir. Searching works meanwhile.</source>
        <translation>Ein anderer Framefind-Indexer (PID {pid}) schreibt bereits in {folder}. Beenden Sie ihn zuerst (es kann `framefind watch` oder die Desktop-App sein) oder verwenden Sie ein anderes --data-dir. Suchen funktioniert währenddessen.</translation>
    </message>
    <message>
        <source>{name} cannot be read ({error})</source>
        <translation>{name} kann nicht gelesen werden ({error})</translation>
    </message>
    <message>
        <source>{name} is not a photo, video or recording: it cannot be searched by</source>
        <translation>{name} ist kein Foto, Video und keine Aufnahme: danach kann nicht gesucht werden</translation>
    </message>
    <message>
        <source>Give a text query, an example file or a result to search like.</source>
        <translation>Geben Sie Suchwörter, eine Beispieldatei oder ein Ergebnis an, nach dem gesucht werden soll.</translation>
    </message>
    <message>
        <source>Unknown kind {kind}; choose from {kinds}.</source>
        <translation>Unbekannte Art {kind}; wählen Sie aus {kinds}.</translation>
    </message>
    <message>
        <source>Unknown sort {sort!r}; choose from {sorts}.</source>
        <translation>Unbekannte Sortierung {sort!r}; wählen Sie aus {sorts}.</translation>
    </message>
    <message>
        <source>Cannot read the duration {text!r}; write e.g. 30s, 2m or 1h.</source>
        <translation>Die Dauer {text!r} ist nicht lesbar; schreiben Sie z. B. 30s, 2m oder 1h.</translation>
    </message>
    <message>
        <source>Cannot read the date {text!r}; write 2021, 2021-06 or 2021-06-30.</source>
        <translation>Das Datum {text!r} ist nicht lesbar; schreiben Sie 2021, 2021-06 oder 2021-06-30.</translation>
    </message>
    <message>
        <source>Unknown filter {name}:; use kind:, in:, after:, before:, until:, longer:, shorter:, said:, shown: or lang:.</source>
        <translation>Unbekannter Filter {name}:; verwenden Sie kind:, in:, after:, before:, until:, longer:, shorter:, said:, shown: oder lang:.</translation>
    </message>
    <message>
        <source>unexpected decoder error: {error}</source>
        <translation>unerwarteter Fehler beim Dekodieren: {error}</translation>
    </message>
    <message>
        <source>the decoder crashed on it ({tries} times; a damaged file, or not enough memory)</source>
        <translation>der Decoder ist daran abgestürzt ({tries}-mal; eine beschädigte Datei oder zu wenig Speicher)</translation>
    </message>
    <message>
        <source>cannot list folder: {reason}</source>
        <translation>Ordner kann nicht aufgelistet werden: {reason}</translation>
    </message>
    <message>
        <source>file vanished before it could be read</source>
        <translation>Datei verschwand, bevor sie gelesen werden konnte</translation>
    </message>
    <message>
        <source>permission denied (make it readable, or exclude it)</source>
        <translation>Zugriff verweigert (machen Sie sie lesbar oder schließen Sie sie aus)</translation>
    </message>
    <message>
        <source>is a directory</source>
        <translation>ist ein Ordner</translation>
    </message>
    <message>
        <source>cannot read file: {error}</source>
        <translation>Datei kann nicht gelesen werden: {error}</translation>
    </message>
    <message>
        <source>empty file (0 bytes)</source>
        <translation>leere Datei (0 Byte)</translation>
    </message>
    <message>
        <source>its encoding is one FFmpeg cannot decode (convert the file, to FLAC or PCM WAV say)</source>
        <translation>ihre Kodierung kann FFmpeg nicht dekodieren (wandeln Sie die Datei um, etwa in FLAC oder PCM-WAV)</translation>
    </message>
    <message>
        <source>{lost} of {total} video packets could not be decoded ({error}); the rest is indexed</source>
        <translation>{lost} von {total} Videopaketen konnten nicht dekodiert werden ({error}); der Rest ist indiziert</translation>
    </message>
    <message>
        <source>{lost} of {total} audio packets could not be decoded ({error}); the rest is indexed</source>
        <translation>{lost} von {total} Audiopaketen konnten nicht dekodiert werden ({error}); der Rest ist indiziert</translation>
    </message>
    <message>
        <source>unsupported video encoding: FFmpeg has no decoder for this stream (an unusual bit depth or codec)</source>
        <translation>nicht unterstützte Videokodierung: FFmpeg hat für diesen Datenstrom keinen Decoder (eine ungewöhnliche Bittiefe oder ein seltener Codec)</translation>
    </message>
    <message>
        <source>unsupported audio encoding: FFmpeg has no decoder for this stream (an unusual bit depth or codec)</source>
        <translation>nicht unterstützte Audiokodierung: FFmpeg hat für diesen Datenstrom keinen Decoder (eine ungewöhnliche Bittiefe oder ein seltener Codec)</translation>
    </message>
    <message>
        <source>no audio stream</source>
        <translation>kein Audiodatenstrom</translation>
    </message>
    <message>
        <source>too short to index: {samples} samples ({ms} ms)</source>
        <translation>zu kurz zum Indizieren: {samples} Samples ({ms} ms)</translation>
    </message>
    <message>
        <source>corrupt audio stream: {error}</source>
        <translation>beschädigter Audiodatenstrom: {error}</translation>
    </message>
    <message>
        <source>no audio packet could be decoded ({error})</source>
        <translation>kein Audiopaket konnte dekodiert werden ({error})</translation>
    </message>
    <message>
        <source>the audio stream holds no samples</source>
        <translation>der Audiodatenstrom enthält keine Samples</translation>
    </message>
    <message>
        <source>cannot decode the frames at {times} s: {error}</source>
        <translation>die Bilder bei {times} s können nicht dekodiert werden: {error}</translation>
    </message>
    <message>
        <source>no frame at {t} s</source>
        <translation>kein Bild bei {t} s</translation>
    </message>
    <message>
        <source>no audio between {start} s and {end} s</source>
        <translation>kein Ton zwischen {start} s und {end} s</translation>
    </message>
    <message>
        <source>{video}; {audio}</source>
        <translation>{video}; {audio}</translation>
    </message>
    <message>
        <source>the content is not audio or video</source>
        <translation>der Inhalt ist weder Audio noch Video</translation>
    </message>
    <message>
        <source>not a readable image: the content is no known image format (wrong extension, or corrupt)</source>
        <translation>kein lesbares Bild: der Inhalt ist kein bekanntes Bildformat (falsche Endung oder beschädigt)</translation>
    </message>
    <message>
        <source>not a photo, video or audio file: neither its name nor its content is a media format</source>
        <translation>keine Foto-, Video- oder Audiodatei: weder Name noch Inhalt sind ein Medienformat</translation>
    </message>
    <message>
        <source>not a readable video file: {problem}</source>
        <translation>keine lesbare Videodatei: {problem}</translation>
    </message>
    <message>
        <source>not a readable audio file: {problem}</source>
        <translation>keine lesbare Audiodatei: {problem}</translation>
    </message>
    <message>
        <source>no audio or video stream in the file</source>
        <translation>kein Audio- oder Videodatenstrom in der Datei</translation>
    </message>
    <message>
        <source>no embedding space takes images (set an image model)</source>
        <translation>kein Einbettungsraum nimmt Bilder auf (legen Sie ein Bildmodell fest)</translation>
    </message>
    <message>
        <source>no embedding space takes images (set a model for it)</source>
        <translation>kein Einbettungsraum nimmt Bilder auf (legen Sie ein Modell dafür fest)</translation>
    </message>
    <message>
        <source>no embedding space takes audio (set a model for it)</source>
        <translation>kein Einbettungsraum nimmt Audio auf (legen Sie ein Modell dafür fest)</translation>
    </message>
    <message>
        <source>image too large: {pixels} MP is over the {limit} MP limit (a decompression bomb, or raise max_image_pixels)</source>
        <translation>Bild zu groß: {pixels} MP liegen über der Grenze von {limit} MP (eine Dekompressionsbombe, oder erhöhen Sie max_image_pixels)</translation>
    </message>
    <message>
        <source>not an image Pillow can read (wrong extension, or corrupt)</source>
        <translation>kein Bild, das Pillow lesen kann (falsche Endung oder beschädigt)</translation>
    </message>
    <message>
        <source>corrupt or truncated image data: {error}</source>
        <translation>beschädigte oder abgeschnittene Bilddaten: {error}</translation>
    </message>
    <message>
        <source>unsupported TIFF compression: {name} (this Pillow/libtiff cannot decode it)</source>
        <translation>nicht unterstützte TIFF-Kompression: {name} (dieses Pillow/libtiff kann sie nicht dekodieren)</translation>
    </message>
    <message>
        <source>video frames too large: {width}×{height} is over the {limit} MP limit (raise max_image_pixels)</source>
        <translation>Videobilder zu groß: {width}×{height} liegt über der Grenze von {limit} MP (erhöhen Sie max_image_pixels)</translation>
    </message>
    <message>
        <source>corrupt video stream near {t} s: {error}</source>
        <translation>beschädigter Videodatenstrom bei etwa {t} s: {error}</translation>
    </message>
    <message>
        <source>no video frame could be decoded</source>
        <translation>kein Videobild konnte dekodiert werden</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>CardDelegate</name>
    <message>
        <source>↳ moment {n} of {count}</source>
        <translation>↳ Moment {n} von {count}</translation>
    </message>
</context>
<context>
    <name>ErrorsDialog</name>
    <message>
        <source>Files not indexed</source>
        <translation>Nicht indizierte Dateien</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be indexed. Each is tried again by itself when it changes; after fixing something else (a missing codec, a drive that was busy), try them all again.</source>
        <translation>
            <numerusform>%n Datei konnte nicht indiziert werden. Sie wird von selbst erneut versucht, wenn sie sich ändert; nachdem Sie etwas anderes behoben haben (einen fehlenden Codec, ein belegtes Laufwerk), versuchen Sie es erneut.</numerusform>
            <numerusform>%n Dateien konnten nicht indiziert werden. Jede wird von selbst erneut versucht, wenn sie sich ändert; nachdem Sie etwas anderes behoben haben (einen fehlenden Codec, ein belegtes Laufwerk), versuchen Sie alle erneut.</numerusform>
        </translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Try all again</source>
        <translation>Alle erneut versuchen</translation>
    </message>
    <message>
        <source>Another Framefind indexes this data folder: try them again there.</source>
        <translation>Ein anderes Framefind indiziert diesen Datenordner: versuchen Sie es dort erneut.</translation>
    </message>
</context>
<context>
    <name>ExampleChip</name>
    <message>
        <source>Stop searching by this example</source>
        <translation>Nicht mehr nach diesem Beispiel suchen</translation>
    </message>
</context>
<context>
    <name>FolderList</name>
    <message>
        <source>Add folder…</source>
        <translation>Ordner hinzufügen…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Add a folder to index</source>
        <translation>Einen Ordner zum Indizieren hinzufügen</translation>
    </message>
</context>
<context>
    <name>IndexStatus</name>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Files that could not be indexed, and why</source>
        <translation>Dateien, die nicht indiziert werden konnten, und warum</translation>
    </message>
    <message>
        <source>Pause indexing</source>
        <translation>Indizieren anhalten</translation>
    </message>
    <message>
        <source>Downloading the {space} model {name}… (first use; this can take a few minutes)</source>
        <translation>Das {space}-Modell {name} wird heruntergeladen… (erste Verwendung; das kann einige Minuten dauern)</translation>
    </message>
    <message>
        <source>Loading the {space} model {name}…</source>
        <translation>Das {space}-Modell {name} wird geladen…</translation>
    </message>
    <message>
        <source>{stage}: {progress}</source>
        <translation>{stage}: {progress}</translation>
    </message>
    <message>
        <source>{summary} Watching for changes.</source>
        <translation>{summary} Änderungen werden verfolgt.</translation>
    </message>
    <message numerus="yes">
        <source>%n not indexed</source>
        <translation>
            <numerusform>%n nicht indiziert</numerusform>
            <numerusform>%n nicht indiziert</numerusform>
        </translation>
    </message>
    <message>
        <source>Resume indexing</source>
        <translation>Indizieren fortsetzen</translation>
    </message>
    <message>
        <source>Indexing paused.</source>
        <translation>Indizieren angehalten.</translation>
    </message>
</context>
<context>
    <name>IndexerWorker</name>
    <message>
        <source>Indexing</source>
        <translation>Indizieren</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Type what you are looking for, or drop a photo, a sound or a video here.</source>
        <translation>Schreiben Sie, was Sie suchen, oder ziehen Sie ein Foto, einen Klang oder ein Video hierher.</translation>
    </message>
    <message>
        <source>Not indexing.</source>
        <translation>Es wird nicht indiziert.</translation>
    </message>
    <message>
        <source>{folders} is not there (an unplugged drive, or moved?). What was indexed there stays searchable, and it is indexed again once it is back; remove it in Settings if it is gone for good.</source>
        <translation>{folders} ist nicht da (ein abgezogenes Laufwerk oder verschoben?). Was dort indiziert wurde, bleibt durchsuchbar und wird wieder indiziert, sobald es zurück ist; entfernen Sie es in den Einstellungen, wenn es für immer weg ist.</translation>
    </message>
    <message>
        <source>No folders to index yet: add some in Settings.</source>
        <translation>Noch keine Ordner zum Indizieren: fügen Sie welche in den Einstellungen hinzu.</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <source>Loading the models… your search runs when they are ready.</source>
        <translation>Die Modelle werden geladen… Ihre Suche läuft, sobald sie bereit sind.</translation>
    </message>
    <message>
        <source>Loading the {space} model… your search runs when it is ready.</source>
        <translation>Das {space}-Modell wird geladen… Ihre Suche läuft, sobald es bereit ist.</translation>
    </message>
    <message>
        <source>Not indexing: see the message above.</source>
        <translation>Es wird nicht indiziert: siehe die Meldung oben.</translation>
    </message>
    <message>
        <source>Ready to search what the other Framefind has indexed.</source>
        <translation>Bereit, zu durchsuchen, was das andere Framefind indiziert hat.</translation>
    </message>
    <message>
        <source>Models loaded. Nothing is indexed yet: add folders in Settings.</source>
        <translation>Modelle geladen. Noch ist nichts indiziert: fügen Sie Ordner in den Einstellungen hinzu.</translation>
    </message>
    <message>
        <source>Models loaded; looking for new and changed files…</source>
        <translation>Modelle geladen; neue und geänderte Dateien werden gesucht…</translation>
    </message>
    <message>
        <source>Forget them…</source>
        <translation>Vergessen…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message numerus="yes">
        <source>Show %n weaker</source>
        <translation>
            <numerusform>%n schwächeres zeigen</numerusform>
            <numerusform>%n schwächere zeigen</numerusform>
        </translation>
    </message>
    <message>
        <source>Hide weaker</source>
        <translation>Schwächere ausblenden</translation>
    </message>
    <message>
        <source>Nothing matched clearly. The weaker matches may still hold it.</source>
        <translation>Nichts passt eindeutig. Die schwächeren Treffer enthalten es vielleicht trotzdem.</translation>
    </message>
    <message>
        <source>Nothing is indexed yet. Results appear here as the indexer works through your folders.</source>
        <translation>Noch ist nichts indiziert. Ergebnisse erscheinen hier, während der Indexer Ihre Ordner durcharbeitet.</translation>
    </message>
    <message>
        <source>Nothing matched. Try other words, fewer filters, or drop an example file.</source>
        <translation>Nichts gefunden. Versuchen Sie andere Wörter, weniger Filter oder ziehen Sie eine Beispieldatei hierher.</translation>
    </message>
    <message>
        <source>No good match — showing the closest</source>
        <translation>Kein guter Treffer — die ähnlichsten werden gezeigt</translation>
    </message>
    <message numerus="yes">
        <source>%n good</source>
        <translation>
            <numerusform>%n guter</numerusform>
            <numerusform>%n gute</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{good}, then %n weaker (faded)</source>
        <translation>
            <numerusform>{good}, dann %n schwächerer (blass)</numerusform>
            <numerusform>{good}, dann %n schwächere (blass)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n Ergebnis</numerusform>
            <numerusform>%n Ergebnisse</numerusform>
        </translation>
    </message>
    <message>
        <source>The search failed.</source>
        <translation>Die Suche ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>No app is set to open {kind} files on this computer. Choose one in your system&apos;s settings (default applications), or use Show in folder.</source>
        <translation>Auf diesem Computer ist keine App zum Öffnen von {kind}-Dateien eingerichtet. Wählen Sie eine in den Systemeinstellungen (Standardanwendungen) oder verwenden Sie Im Ordner zeigen.</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>Im Ordner zeigen</translation>
    </message>
    <message>
        <source>No file manager is set up to show folders on this computer. {name} is in {folder} (the path is copied to the clipboard).</source>
        <translation>Auf diesem Computer ist kein Dateimanager zum Anzeigen von Ordnern eingerichtet. {name} liegt in {folder} (der Pfad ist in die Zwischenablage kopiert).</translation>
    </message>
    <message>
        <source>{path} is no longer there: it was moved or deleted.</source>
        <translation>{path} ist nicht mehr da: es wurde verschoben oder gelöscht.</translation>
    </message>
    <message>
        <source>unknown reason</source>
        <translation>unbekannter Grund</translation>
    </message>
    <message>
        <source>Drop to find what looks or sounds like {name}</source>
        <translation>Loslassen, um zu finden, was wie {name} aussieht oder klingt</translation>
    </message>
</context>
<context>
    <name>Phrases</name>
    <message numerus="yes">
        <source>Forget the %n indexed file(s) of {folder}?</source>
        <translation>
            <numerusform>Die %n indizierte Datei von {folder} vergessen?</numerusform>
            <numerusform>Die %n indizierten Dateien von {folder} vergessen?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Forget the %n indexed file(s) of {folders} folders?</source>
        <translation>
            <numerusform>Die %n indizierte Datei von {folders} Ordnern vergessen?</numerusform>
            <numerusform>Die %n indizierten Dateien von {folders} Ordnern vergessen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Forget these files?</source>
        <translation>Diese Dateien vergessen?</translation>
    </message>
    <message>
        <source>Searches stop finding them. The files themselves are not touched: if the folder comes back, they are indexed again from the start.</source>
        <translation>Suchen finden sie dann nicht mehr. Die Dateien selbst bleiben unberührt: kommt der Ordner zurück, werden sie von vorn indiziert.</translation>
    </message>
    <message>
        <source>Forget them</source>
        <translation>Vergessen</translation>
    </message>
    <message>
        <source>photo</source>
        <translation>Foto</translation>
    </message>
    <message>
        <source>video</source>
        <translation>Video</translation>
    </message>
    <message>
        <source>audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <source>image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>words</source>
        <translation>Wörter</translation>
    </message>
    <message>
        <source>♪ by sound</source>
        <translation>♪ am Klang</translation>
    </message>
    <message numerus="yes">
        <source>+%n similar</source>
        <translation>
            <numerusform>+%n ähnliches</numerusform>
            <numerusform>+%n ähnliche</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>+%n moment(s)</source>
        <translation>
            <numerusform>+%n Moment</numerusform>
            <numerusform>+%n Momente</numerusform>
        </translation>
    </message>
    <message>
        <source>Very strong match</source>
        <translation>Sehr starker Treffer</translation>
    </message>
    <message>
        <source>Strong match</source>
        <translation>Starker Treffer</translation>
    </message>
    <message>
        <source>Good match</source>
        <translation>Guter Treffer</translation>
    </message>
    <message>
        <source>Too few files indexed yet to say how good a match this is</source>
        <translation>Noch zu wenige Dateien indiziert, um zu sagen, wie gut dieser Treffer ist</translation>
    </message>
    <message>
        <source>Weak match: among the closest there are, not a clear one</source>
        <translation>Schwacher Treffer: unter den ähnlichsten, aber kein eindeutiger</translation>
    </message>
    <message>
        <source>{kind} moment {moment}, best at {time}</source>
        <translation>{kind}-Moment {moment}, am besten bei {time}</translation>
    </message>
    <message>
        <source>score {score} (cosine {cosine}, {space} model)</source>
        <translation>Wertung {score} (Kosinus {cosine}, {space}-Modell)</translation>
    </message>
    <message>
        <source>reranked: {score}</source>
        <translation>neu bewertet: {score}</translation>
    </message>
    <message>
        <source>Found by what is said (transcribed): “{text}”</source>
        <translation>Gefunden an dem, was gesagt wird (transkribiert): „{text}“</translation>
    </message>
    <message>
        <source>Found by what is said (transcribed, by its meaning): “{text}”</source>
        <translation>Gefunden an dem, was gesagt wird (transkribiert, nach der Bedeutung): „{text}“</translation>
    </message>
    <message>
        <source>Found by what is said (transcribed, by its words and meaning): “{text}”</source>
        <translation>Gefunden an dem, was gesagt wird (transkribiert, nach Wörtern und Bedeutung): „{text}“</translation>
    </message>
    <message>
        <source>Found by what is said (subtitles): “{text}”</source>
        <translation>Gefunden an dem, was gesagt wird (Untertitel): „{text}“</translation>
    </message>
    <message>
        <source>Found by what is said (subtitles, by its meaning): “{text}”</source>
        <translation>Gefunden an dem, was gesagt wird (Untertitel, nach der Bedeutung): „{text}“</translation>
    </message>
    <message>
        <source>Found by what is said (subtitles, by its words and meaning): “{text}”</source>
        <translation>Gefunden an dem, was gesagt wird (Untertitel, nach Wörtern und Bedeutung): „{text}“</translation>
    </message>
    <message>
        <source>Found by what is written (read in the picture): “{text}”</source>
        <translation>Gefunden an dem, was geschrieben steht (im Bild gelesen): „{text}“</translation>
    </message>
    <message>
        <source>Found by what is written (read in the picture, by its meaning): “{text}”</source>
        <translation>Gefunden an dem, was geschrieben steht (im Bild gelesen, nach der Bedeutung): „{text}“</translation>
    </message>
    <message>
        <source>Found by what is written (read in the picture, by its words and meaning): “{text}”</source>
        <translation>Gefunden an dem, was geschrieben steht (im Bild gelesen, nach Wörtern und Bedeutung): „{text}“</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n Byte</numerusform>
            <numerusform>%n Byte</numerusform>
        </translation>
    </message>
    <message>
        <source>{n} s</source>
        <translation>{n} s</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} h</translation>
    </message>
    <message>
        <source>Indexing</source>
        <translation>Indizieren</translation>
    </message>
    <message>
        <source>{done} / {total} files</source>
        <translation>{done} / {total} Dateien</translation>
    </message>
    <message>
        <source>Transcribing</source>
        <translation>Transkribieren</translation>
    </message>
    <message>
        <source>{done} / {total} recordings</source>
        <translation>{done} / {total} Aufnahmen</translation>
    </message>
    <message>
        <source>Reading text in pictures</source>
        <translation>Text in Bildern lesen</translation>
    </message>
    <message>
        <source>{time} of audio left</source>
        <translation>noch {time} Audio</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <source>{rate} files/s</source>
        <translation>{rate} Dateien/s</translation>
    </message>
    <message>
        <source>about {time} left</source>
        <translation>noch etwa {time}</translation>
    </message>
    <message>
        <source>almost done</source>
        <translation>fast fertig</translation>
    </message>
    <message numerus="yes">
        <source>{reason} (unplugged, unmounted or moved?). Its %n indexed file(s) are kept and stay searchable. If they are gone for good, forget them.</source>
        <translation>
            <numerusform>{reason} (abgezogen, ausgehängt oder verschoben?). Seine %n indizierte Datei bleibt erhalten und durchsuchbar. Ist sie für immer weg, vergessen Sie sie.</numerusform>
            <numerusform>{reason} (abgezogen, ausgehängt oder verschoben?). Seine %n indizierten Dateien bleiben erhalten und durchsuchbar. Sind sie für immer weg, vergessen Sie sie.</numerusform>
        </translation>
    </message>
    <message>
        <source>The {space} model “{model}” could not be loaded: {reason}. Check the network connection (models download on first use), or choose another model, a hub id or a local folder, in Settings.</source>
        <translation>Das {space}-Modell „{model}“ konnte nicht geladen werden: {reason}. Prüfen Sie die Netzwerkverbindung (Modelle werden bei der ersten Verwendung heruntergeladen) oder wählen Sie in den Einstellungen ein anderes Modell, eine Hub-ID oder einen lokalen Ordner.</translation>
    </message>
    <message>
        <source>{what} stopped unexpectedly ({error}: {details}). The details are in {log}; please report them.</source>
        <translation>{what} wurde unerwartet beendet ({error}: {details}). Die Einzelheiten stehen in {log}; bitte melden Sie sie.</translation>
    </message>
    <message numerus="yes">
        <source>%n removed</source>
        <translation>
            <numerusform>%n entfernt</numerusform>
            <numerusform>%n entfernt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n moved</source>
        <translation>
            <numerusform>%n verschoben</numerusform>
            <numerusform>%n verschoben</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n copied</source>
        <translation>
            <numerusform>%n kopiert</numerusform>
            <numerusform>%n kopiert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n read again for a new model</source>
        <translation>
            <numerusform>%n für ein neues Modell erneut gelesen</numerusform>
            <numerusform>%n für ein neues Modell erneut gelesen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n changed while read (next pass)</source>
        <translation>
            <numerusform>%n beim Lesen geändert (nächster Durchgang)</numerusform>
            <numerusform>%n beim Lesen geändert (nächster Durchgang)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n fehlgeschlagen</numerusform>
            <numerusform>%n fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unchanged</source>
        <translation>
            <numerusform>%n unverändert</numerusform>
            <numerusform>%n unverändert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n Foto</numerusform>
            <numerusform>%n Fotos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n video(s)</source>
        <translation>
            <numerusform>%n Video</numerusform>
            <numerusform>%n Videos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n recording(s)</source>
        <translation>
            <numerusform>%n Aufnahme</numerusform>
            <numerusform>%n Aufnahmen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing to do: all %n file(s) up to date.</source>
        <translation>
            <numerusform>Nichts zu tun: die %n Datei ist aktuell.</numerusform>
            <numerusform>Nichts zu tun: alle %n Dateien sind aktuell.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to index yet: no photos, videos or recordings found.</source>
        <translation>Noch nichts zu indizieren: keine Fotos, Videos oder Aufnahmen gefunden.</translation>
    </message>
    <message numerus="yes">
        <source>%n searchable moment(s)</source>
        <translation>
            <numerusform>%n durchsuchbarer Moment</numerusform>
            <numerusform>%n durchsuchbare Momente</numerusform>
        </translation>
    </message>
    <message>
        <source>{files} ({kinds}; {moments})</source>
        <translation>{files} ({kinds}; {moments})</translation>
    </message>
    <message>
        <source>{files} in {time}</source>
        <translation>{files} in {time}</translation>
    </message>
    <message>
        <source>{indexed}; {done}.</source>
        <translation>{indexed}; {done}.</translation>
    </message>
    <message>
        <source>{indexed}.</source>
        <translation>{indexed}.</translation>
    </message>
    <message>
        <source>Indexed {new} new and {changed} changed files</source>
        <translation>{new} neue und {changed} geänderte Dateien indiziert</translation>
    </message>
    <message numerus="yes">
        <source>Indexed %n new file(s)</source>
        <translation>
            <numerusform>%n neue Datei indiziert</numerusform>
            <numerusform>%n neue Dateien indiziert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Indexed %n changed file(s)</source>
        <translation>
            <numerusform>%n geänderte Datei indiziert</numerusform>
            <numerusform>%n geänderte Dateien indiziert</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Open with the default app (Ctrl+O)</source>
        <translation>Mit der Standard-App öffnen (Strg+O)</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>Im Ordner zeigen</translation>
    </message>
    <message>
        <source>More like this</source>
        <translation>Mehr davon</translation>
    </message>
    <message>
        <source>List the near-duplicate photos folded into this one</source>
        <translation>Die fast gleichen Fotos zeigen, die unter diesem zusammengefasst sind</translation>
    </message>
    <message>
        <source>Choose a result to see it here.

Enter or a double-click plays a moment from where it matched; Space pauses; Ctrl+O opens the file.</source>
        <translation>Wählen Sie ein Ergebnis, um es hier zu sehen.

Eingabe oder ein Doppelklick spielt einen Moment ab der passenden Stelle; Leertaste hält an; Strg+O öffnet die Datei.</translation>
    </message>
    <message>
        <source>Play or pause (Space)</source>
        <translation>Abspielen oder anhalten (Leertaste)</translation>
    </message>
    <message>
        <source>No sound output was found: playing without sound. Check the system&apos;s sound settings.</source>
        <translation>Keine Tonausgabe gefunden: Wiedergabe ohne Ton. Prüfen Sie die Toneinstellungen des Systems.</translation>
    </message>
    <message numerus="yes">
        <source>%n similar</source>
        <translation>
            <numerusform>%n ähnliches</numerusform>
            <numerusform>%n ähnliche</numerusform>
        </translation>
    </message>
    <message>
        <source>{name}: cannot be played here ({error}); try Open.</source>
        <translation>{name}: kann hier nicht abgespielt werden ({error}); versuchen Sie Öffnen.</translation>
    </message>
    <message>
        <source>unsupported format</source>
        <translation>nicht unterstütztes Format</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>{moment} (best at {time})</source>
        <translation>{moment} (am besten bei {time})</translation>
    </message>
    <message>
        <source>Moment</source>
        <translation>Moment</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>no longer there: it was moved or deleted</source>
        <translation>nicht mehr da: verschoben oder gelöscht</translation>
    </message>
    <message>
        <source>Dimensions</source>
        <translation>Abmessungen</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>Treffer</translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <source>All kinds</source>
        <translation>Alle Arten</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>Fotos</translation>
    </message>
    <message>
        <source>Videos</source>
        <translation>Videos</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <source>Any match</source>
        <translation>Jeder Treffer</translation>
    </message>
    <message>
        <source>Only what is said</source>
        <translation>Nur Gesagtes</translation>
    </message>
    <message>
        <source>Only what is written</source>
        <translation>Nur Geschriebenes</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Jederzeit</translation>
    </message>
    <message>
        <source>Past week</source>
        <translation>Letzte Woche</translation>
    </message>
    <message>
        <source>Past month</source>
        <translation>Letzter Monat</translation>
    </message>
    <message>
        <source>Past year</source>
        <translation>Letztes Jahr</translation>
    </message>
    <message>
        <source>Best match</source>
        <translation>Beste Treffer</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>Neueste zuerst</translation>
    </message>
    <message>
        <source>Oldest first</source>
        <translation>Älteste zuerst</translation>
    </message>
    <message>
        <source>By name</source>
        <translation>Nach Name</translation>
    </message>
    <message>
        <source>Only what is said (transcripts, subtitles), as said: in the query, or only text written in pictures (slides, screenshots, signs), as shown:</source>
        <translation>Nur Gesagtes (Transkripte, Untertitel), wie said: in der Suche, oder nur Text, der in Bildern steht (Folien, Bildschirmfotos, Schilder), wie shown:</translation>
    </message>
    <message>
        <source>The order of the good matches; weaker ones stay after them</source>
        <translation>Die Reihenfolge der guten Treffer; schwächere bleiben dahinter</translation>
    </message>
    <message>
        <source>Any folder</source>
        <translation>Jeder Ordner</translation>
    </message>
    <message>
        <source>Choose a folder…</source>
        <translation>Ordner wählen…</translation>
    </message>
    <message>
        <source>Like {name}</source>
        <translation>Wie {name}</translation>
    </message>
    <message>
        <source>Add words to narrow the example down (optional)</source>
        <translation>Wörter hinzufügen, um das Beispiel einzugrenzen (optional)</translation>
    </message>
    <message>
        <source>Search only in folder</source>
        <translation>Nur in diesem Ordner suchen</translation>
    </message>
    <message>
        <source>Search photos, videos and audio… or drop a file here</source>
        <translation>Fotos, Videos und Audio durchsuchen… oder eine Datei hierher ziehen</translation>
    </message>
</context>
<context>
    <name>SearchWorker</name>
    <message>
        <source>The search</source>
        <translation>Die Suche</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Folder…</source>
        <translation>Ordner…</translation>
    </message>
    <message>
        <source>Framefind settings</source>
        <translation>Framefind-Einstellungen</translation>
    </message>
    <message>
        <source>A Hugging Face hub id, a local model folder, or none to turn this off</source>
        <translation>Eine Hugging-Face-Hub-ID, ein lokaler Modellordner oder none zum Ausschalten</translation>
    </message>
    <message>
        <source>What reads picture searches: auto understands 50+ languages with the default image model (a multilingual model made for it; nothing is indexed again); none uses the image model&apos;s own, English; or a hub id or folder of a text model made for your image model</source>
        <translation>Was Bildsuchen liest: auto versteht mit dem Standard-Bildmodell über 50 Sprachen (ein dafür gemachtes mehrsprachiges Modell; nichts wird neu indiziert); none nimmt das eigene, englische des Bildmodells; oder eine Hub-ID bzw. ein Ordner eines Textmodells, das für Ihr Bildmodell gemacht ist</translation>
    </message>
    <message>
        <source>Videos as video (a few seconds of motion at a time), with a video-language model: auto takes Qwen3-VL-Embedding-2B (a 4.3 GB download) on an NVIDIA GPU with 12 GB or more, the 8B (17.5 GB) with 24 GB, and none on a CPU, where it is far too slow; none turns it off; or a hub id or folder</source>
        <translation>Videos als Video (jeweils einige Sekunden Bewegung), mit einem Video-Sprach-Modell: auto nimmt Qwen3-VL-Embedding-2B (4,3 GB Download) auf einer NVIDIA-GPU mit 12 GB oder mehr, das 8B (17,5 GB) mit 24 GB, und keines auf einer CPU, wo es viel zu langsam ist; none schaltet es aus; oder eine Hub-ID bzw. ein Ordner</translation>
    </message>
    <message>
        <source>What is said is transcribed with this Whisper model: a size (base, small, large-v3-turbo), a hub id or a folder; auto picks by device, none turns it off</source>
        <translation>Gesagtes wird mit diesem Whisper-Modell transkribiert: eine Größe (base, small, large-v3-turbo), eine Hub-ID oder ein Ordner; auto wählt nach Gerät, none schaltet es aus</translation>
    </message>
    <message>
        <source>Text in photos and video frames is read with RapidOCR: auto uses the models it ships (Latin scripts, Chinese, Japanese); type korean, cyrillic, arabic or el for another script (downloaded on first use); none turns it off</source>
        <translation>Text in Fotos und Videobildern wird mit RapidOCR gelesen: auto nimmt die mitgelieferten Modelle (lateinische Schriften, Chinesisch, Japanisch); geben Sie korean, cyrillic, arabic oder el für eine andere Schrift ein (bei der ersten Verwendung heruntergeladen); none schaltet es aus</translation>
    </message>
    <message>
        <source>Rerank the top results with a multimodal reranker (best on a GPU)</source>
        <translation>Die besten Ergebnisse mit einem multimodalen Reranker neu ordnen (am besten mit GPU)</translation>
    </message>
    <message>
        <source>On an NVIDIA GPU, Qwen3-VL-Reranker re-scores the top results: the 8B (17.5 GB download) where 20 GB are left beside the video model, which judges a video moment by its clip; else the 2B (4.3 GB) where 6 GB are left, which judges its frame. Nothing on a CPU</source>
        <translation>Auf einer NVIDIA-GPU bewertet Qwen3-VL-Reranker die besten Ergebnisse neu: das 8B (17,5 GB Download), wo neben dem Videomodell 20 GB frei bleiben – es beurteilt einen Videomoment nach seinem Clip; sonst das 2B (4,3 GB), wo 6 GB frei bleiben – es beurteilt sein Einzelbild. Auf einer CPU keines</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Videos: keyframes, and at least one frame this often. Videos already indexed are sampled again in the background; search goes on meanwhile</source>
        <translation>Videos: Schlüsselbilder und mindestens ein Bild in diesem Abstand. Bereits indizierte Videos werden im Hintergrund neu abgetastet; die Suche geht währenddessen weiter</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Image model</source>
        <translation>Bildmodell</translation>
    </message>
    <message>
        <source>Image–text model folder</source>
        <translation>Ordner des Bild-Text-Modells</translation>
    </message>
    <message>
        <source>Picture searches in</source>
        <translation>Bildsuche versteht</translation>
    </message>
    <message>
        <source>Audio model</source>
        <translation>Audiomodell</translation>
    </message>
    <message>
        <source>Audio–text model folder</source>
        <translation>Ordner des Audio-Text-Modells</translation>
    </message>
    <message>
        <source>Whisper model folder (CTranslate2)</source>
        <translation>Ordner des Whisper-Modells (CTranslate2)</translation>
    </message>
    <message>
        <source>Speech model</source>
        <translation>Sprachmodell</translation>
    </message>
    <message>
        <source>Sentence model folder (said, by meaning)</source>
        <translation>Ordner des Satzmodells (Gesagtes, nach Bedeutung)</translation>
    </message>
    <message>
        <source>Words model</source>
        <translation>Wörtermodell</translation>
    </message>
    <message>
        <source>Video as video</source>
        <translation>Video als Video</translation>
    </message>
    <message>
        <source>Text in pictures</source>
        <translation>Text in Bildern</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Reranking</source>
        <translation>Neu ordnen</translation>
    </message>
    <message>
        <source>Video frame every</source>
        <translation>Videobild alle</translation>
    </message>
    <message>
        <source>Where Framefind keeps its index</source>
        <translation>Wo Framefind seinen Index ablegt</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Datenordner</translation>
    </message>
    <message>
        <source>Set by {variable} in the environment: change or unset it there.</source>
        <translation>Durch {variable} in der Umgebung gesetzt: dort ändern oder entfernen.</translation>
    </message>
    <message>
        <source>Greyed settings come from the environment ({names}), which wins over this dialog; unset the variable to choose here.</source>
        <translation>Ausgegraute Einstellungen kommen aus der Umgebung ({names}), die Vorrang vor diesem Dialog hat; entfernen Sie die Variable, um hier zu wählen.</translation>
    </message>
    <message>
        <source>No NVIDIA GPU for Framefind here: auto keeps videos to their frames and does not rerank.</source>
        <translation>Hier keine NVIDIA-GPU für Framefind: auto belässt Videos bei ihren Einzelbildern und bewertet nicht neu.</translation>
    </message>
    <message>
        <source>This GPU has {gib} GB: auto takes {vlm} for videos and {reranker} to rerank.</source>
        <translation>Diese GPU hat {gib} GB: auto nimmt {vlm} für Videos und {reranker} zum Neubewerten.</translation>
    </message>
    <message>
        <source>no video model</source>
        <translation>kein Videomodell</translation>
    </message>
    <message>
        <source>no reranker</source>
        <translation>keinen Reranker</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>The highlighted span is the moment that matched; click to jump</source>
        <translation>Der hervorgehobene Abschnitt ist der passende Moment; zum Springen klicken</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <source>Nothing said here is known yet.</source>
        <translation>Was hier gesagt wird, ist noch nicht bekannt.</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>The models are already on this computer: nothing is downloaded.</source>
        <translation>Die Modelle sind schon auf diesem Computer: nichts wird heruntergeladen.</translation>
    </message>
    <message>
        <source>The first run downloads {models} (about {size} in all).</source>
        <translation>Der erste Start lädt {models} herunter (insgesamt etwa {size}).</translation>
    </message>
    <message>
        <source>Welcome to Framefind</source>
        <translation>Willkommen bei Framefind</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Find anything in your photos, videos and audio&lt;/h3&gt;&lt;p&gt;Framefind indexes the folders you choose, on this computer: nothing is uploaded. Indexing runs in the background and you can search while it works. {downloads} They load while you choose.&lt;/p&gt;&lt;p&gt;Which folders should it cover?&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Finden Sie alles in Ihren Fotos, Videos und Aufnahmen&lt;/h3&gt;&lt;p&gt;Framefind indiziert die Ordner, die Sie wählen, auf diesem Computer: nichts wird hochgeladen. Das Indizieren läuft im Hintergrund, und Sie können währenddessen suchen. {downloads} Sie werden geladen, während Sie wählen.&lt;/p&gt;&lt;p&gt;Welche Ordner soll es abdecken?&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Start indexing</source>
        <translation>Indizieren starten</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Später</translation>
    </message>
    <message>
        <source>You can change this later in Settings.</source>
        <translation>Sie können das später in den Einstellungen ändern.</translation>
    </message>
</context>
</TS>
