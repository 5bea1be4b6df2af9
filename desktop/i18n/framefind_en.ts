<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ErrorsDialog</name>
    <message numerus="yes">
        <source>%n file(s) could not be indexed. Each is tried again by itself when it changes; after fixing something else (a missing codec, a drive that was busy), try them all again.</source>
        <translation>
            <numerusform>%n file could not be indexed. It is tried again by itself when it changes; after fixing something else (a missing codec, a drive that was busy), try it again.</numerusform>
            <numerusform>%n files could not be indexed. Each is tried again by itself when it changes; after fixing something else (a missing codec, a drive that was busy), try them all again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IndexStatus</name>
    <message numerus="yes">
        <source>%n not indexed</source>
        <translation>
            <numerusform>%n not indexed</numerusform>
            <numerusform>%n not indexed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Show %n weaker</source>
        <translation>
            <numerusform>Show %n weaker</numerusform>
            <numerusform>Show %n weaker</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n good</source>
        <translation>
            <numerusform>%n good</numerusform>
            <numerusform>%n good</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{good}, then %n weaker (faded)</source>
        <translation>
            <numerusform>{good}, then %n weaker (faded)</numerusform>
            <numerusform>{good}, then %n weaker (faded)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n result</numerusform>
            <numerusform>%n results</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Phrases</name>
    <message numerus="yes">
        <source>Forget the %n indexed file(s) of {folder}?</source>
        <translation>
            <numerusform>Forget the %n indexed file of {folder}?</numerusform>
            <numerusform>Forget the %n indexed files of {folder}?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Forget the %n indexed file(s) of {folders} folders?</source>
        <translation>
            <numerusform>Forget the %n indexed file of {folders} folders?</numerusform>
            <numerusform>Forget the %n indexed files of {folders} folders?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>+%n similar</source>
        <translation>
            <numerusform>+%n similar</numerusform>
            <numerusform>+%n similar</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>+%n moment(s)</source>
        <translation>
            <numerusform>+%n moment</numerusform>
            <numerusform>+%n moments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{reason} (unplugged, unmounted or moved?). Its %n indexed file(s) are kept and stay searchable. If they are gone for good, forget them.</source>
        <translation>
            <numerusform>{reason} (unplugged, unmounted or moved?). Its %n indexed file is kept and stays searchable. If it is gone for good, forget it.</numerusform>
            <numerusform>{reason} (unplugged, unmounted or moved?). Its %n indexed files are kept and stay searchable. If they are gone for good, forget them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n removed</source>
        <translation>
            <numerusform>%n removed</numerusform>
            <numerusform>%n removed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n moved</source>
        <translation>
            <numerusform>%n moved</numerusform>
            <numerusform>%n moved</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n copied</source>
        <translation>
            <numerusform>%n copied</numerusform>
            <numerusform>%n copied</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n read again for a new model</source>
        <translation>
            <numerusform>%n read again for a new model</numerusform>
            <numerusform>%n read again for a new model</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n changed while read (next pass)</source>
        <translation>
            <numerusform>%n changed while read (next pass)</numerusform>
            <numerusform>%n changed while read (next pass)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unchanged</source>
        <translation>
            <numerusform>%n unchanged</numerusform>
            <numerusform>%n unchanged</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n photo</numerusform>
            <numerusform>%n photos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n video(s)</source>
        <translation>
            <numerusform>%n video</numerusform>
            <numerusform>%n videos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n recording(s)</source>
        <translation>
            <numerusform>%n recording</numerusform>
            <numerusform>%n recordings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing to do: all %n file(s) up to date.</source>
        <translation>
            <numerusform>Nothing to do: the %n file is up to date.</numerusform>
            <numerusform>Nothing to do: all %n files up to date.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n searchable moment(s)</source>
        <translation>
            <numerusform>%n searchable moment</numerusform>
            <numerusform>%n searchable moments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Indexed %n new file(s)</source>
        <translation>
            <numerusform>Indexed %n new file</numerusform>
            <numerusform>Indexed %n new files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Indexed %n changed file(s)</source>
        <translation>
            <numerusform>Indexed %n changed file</numerusform>
            <numerusform>Indexed %n changed files</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message numerus="yes">
        <source>%n similar</source>
        <translation>
            <numerusform>%n similar</numerusform>
            <numerusform>%n similar</numerusform>
        </translation>
    </message>
</context>
</TS>
