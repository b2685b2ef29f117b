# fish completion for gps-audit(1) - cityops

function __gps_audit_map
    # --map SRC=DST: SRC is the input's column; offer the fields after '='
    set -l tok (commandline -ct | string unescape)
    set tok (string replace -r -- '^--map=' '' $tok)
    string match -q -- '*=*' $tok; or return
    set -l src (string replace -r -- '=[^=]*$' '' $tok)
    for f in plate at lat lon speed_kmh heading
        echo $src=$f
    end
end

complete -c gps-audit -F

# the tool's own options
complete -c gps-audit -l vehicles -r -F -d 'The trucks (vehicles.csv)'
complete -c gps-audit -l routes -r -F -d 'Approved routes (routes.geojson)'
complete -c gps-audit -l zones -r -F -d 'Forbidden and speed zones (zones.geojson)'
complete -c gps-audit -l plate -x -d 'The plate of fixes that name none (.plt)'
complete -c gps-audit -l summary -d 'One row per vehicle and a total per company'
complete -c gps-audit -l show-fixes -d 'Print every fix as audited'
complete -c gps-audit -l stream -d 'Plate-grouped fixes on stdin, episodes out, no store'
complete -c gps-audit -l limit -x -d 'Speed limit (km/h) of trucks without one'
complete -c gps-audit -l tolerance -x -d 'Speeding is more than PCT % over (10)'
complete -c gps-audit -l min-duration -x -d 'Shortest speeding episode (30s)'
complete -c gps-audit -l min-off-route -x -d 'Shortest off-route episode (60s)'
complete -c gps-audit -l min-off-distance -x -d 'Or this far off route (200 m)'
complete -c gps-audit -l max-gap -x -d 'A longer time without a fix is a gap (300s)'
complete -c gps-audit -l max-implied-kmh -x -d 'Drop fixes implying a faster jump (150)'
complete -c gps-audit -l china-only -d 'Drop fixes outside China'
complete -c gps-audit -l at -x -d 'Now, for fixes from the future'
complete -c gps-audit -l show-mapping -d 'Show how each input column is read, store nothing'
complete -c gps-audit -l map -x -a '(__gps_audit_map)' -d 'Read column SRC as field DST (SRC=DST)'
complete -c gps-audit -l date-format -x -d 'strptime format of the times'
complete -c gps-audit -l rejects -r -F -d 'Write bad rows, with their reason, to FILE'
complete -c gps-audit -s k -l keep-going -d 'Audit the good fixes of a file with bad ones'
complete -c gps-audit -l memory -x -d 'Fixes held in memory before sorting on disk (64M)'

# the options every cityops tool shares
complete -c gps-audit -s D -l db -r -F -d 'The store'
complete -c gps-audit -s f -l format -x -a 'csv tsv json jsonl table md xlsx' -d 'Output format'
complete -c gps-audit -s i -l input-format -x -a 'csv tsv json jsonl' -d 'Input format'
complete -c gps-audit -s o -l output -r -F -d 'Write there instead of stdout'
complete -c gps-audit -l encoding -x -a 'auto utf-8 gb18030 gbk utf-16le utf-16be' -d 'Input encoding'
complete -c gps-audit -l bom -d 'Write a UTF-8 byte-order mark first'
complete -c gps-audit -l lang -x -a 'zh en' -d 'Column headers in Chinese or English'
complete -c gps-audit -l total -d 'Set the last row off as a total'
complete -c gps-audit -s n -l dry-run -d 'Do everything, then roll back'
complete -c gps-audit -s q -l quiet -d 'Hide warnings, progress and summaries'
complete -c gps-audit -s v -l verbose -d 'Say more'
complete -c gps-audit -l no-progress -d 'No progress line, even on a terminal'
complete -c gps-audit -l busy-timeout -x -d 'Wait this long (ms) for a locked store'
complete -c gps-audit -s h -l help -d 'Show the help and exit'
complete -c gps-audit -s V -l version -d 'Show the version and exit'
