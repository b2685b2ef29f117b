# fish completion for flood-check(1) - cityops

function __flood_check_map
    set -l tok (commandline -ct | string unescape)
    set tok (string replace -r -- '^--map=' '' $tok)
    string match -q -- '*=*' $tok; or return
    set -l src (string replace -r -- '=[^=]*$' '' $tok)
    for f in station at level_cm quality
        echo $src=$f
    end
end

function __flood_check_stations
    set -l f stations.csv
    set -q CITYOPS_CONFIG; and set f $CITYOPS_CONFIG/stations.csv
    test -r $f; and tail -n +2 $f | cut -d, -f1
end

complete -c flood-check -F

# the tool's own options
complete -c flood-check -l stations -r -F -d 'The stations and their levels (stations.csv)'
complete -c flood-check -l station -x -a '(__flood_check_stations)' -d 'The readings of this one station'
complete -c flood-check -l map -x -a '(__flood_check_map)' -d 'Read column SRC as field DST (SRC=DST)'
complete -c flood-check -l date-format -x -d 'strptime format of the input times'
complete -c flood-check -l show-mapping -d 'Show how each input column is read, store nothing'
complete -c flood-check -l rdb -d 'Read the input as USGS RDB'
complete -c flood-check -l parameter -x -a '00065 62614 62615 72019 gage_ht' -d 'RDB: the value column'
complete -c flood-check -l rejects -r -F -d 'Write bad rows, with their reason, to FILE'
complete -c flood-check -s k -l keep-going -d 'Store the good readings of a file with bad rows'
complete -c flood-check -l at -x -d 'The time of the run (default: now)'
complete -c flood-check -l min-duration -x -d 'Readings in a row (2) or a time (5m) before a level'
complete -c flood-check -l message-template -r -F -d 'The wording of the messages'
complete -c flood-check -l exec -x -a '(__fish_complete_command)' -d 'Run CMD once per transition'
complete -c flood-check -l fail-on -x -a 'blue yellow orange red' -d 'Exit 1 when such an alert is open'
complete -c flood-check -l status -d 'Print every station now'
complete -c flood-check -l summary -d 'Print the duty log of a period'
complete -c flood-check -l from -x -d '--summary: the period starts here'
complete -c flood-check -l to -x -d '--summary: the period ends here'
complete -c flood-check -l lang -x -a 'zh en' -d 'Column headers in Chinese or English'
complete -c flood-check -l total -d 'Add a total row'

# the options every cityops tool shares
complete -c flood-check -s D -l db -r -F -d 'The store'
complete -c flood-check -s f -l format -x -a 'csv tsv json jsonl table md xlsx' -d 'Output format'
complete -c flood-check -s i -l input-format -x -a 'csv tsv json jsonl' -d 'Input format'
complete -c flood-check -s o -l output -r -F -d 'Write there instead of stdout'
complete -c flood-check -l encoding -x -a 'auto utf-8 gb18030 gbk utf-16le utf-16be' -d 'Input encoding'
complete -c flood-check -l bom -d 'Write a UTF-8 byte-order mark first'
complete -c flood-check -s n -l dry-run -d 'Do everything, then roll back'
complete -c flood-check -s q -l quiet -d 'Hide warnings, progress and summaries'
complete -c flood-check -s v -l verbose -d 'Say more'
complete -c flood-check -l no-progress -d 'No progress line, even on a terminal'
complete -c flood-check -l busy-timeout -x -d 'Wait this long (ms) for a locked store'
complete -c flood-check -s h -l help -d 'Show the help and exit'
complete -c flood-check -s V -l version -d 'Show the version and exit'
