# fish completion for case-import(1) - cityops

function __case_import_map
    # --map SRC=DST: SRC is the input's column; offer the fields after '='
    set -l tok (commandline -ct | string unescape)
    set tok (string replace -r -- '^--map=' '' $tok)
    string match -q -- '*=*' $tok; or return
    set -l src (string replace -r -- '=[^=]*$' '' $tok)
    for f in id source kind class_code big_class small_class category \
            description address district street community grid lon lat \
            object_id reporter reported_at registered_at dispatched_at \
            handled_at closed_at due_at state unit self_disposed reworks \
            postponements ticket_id
        echo $src=$f
    end
end

complete -c case-import -F

# the tool's own options
complete -c case-import -l map -x -a '(__case_import_map)' -d 'Read column SRC as field DST (SRC=DST, repeatable)'
complete -c case-import -l date-format -x -d 'strptime format of the input times'
complete -c case-import -l rejects -r -F -d 'Write bad rows, with their reason, to FILE'
complete -c case-import -s k -l keep-going -d 'Import the good rows of a file that has bad ones'
complete -c case-import -l keep-empty -d 'An empty cell leaves the field as it is'
complete -c case-import -l on-conflict -x -a 'update skip fail' -d 'A case already in the store'
complete -c case-import -l dup-radius -x -d 'Likely duplicates lie this close (metres)'
complete -c case-import -l dup-window -x -d 'And were reported this soon after (24h)'
complete -c case-import -l classes -r -F -d 'The taxonomy (classes.csv)'
complete -c case-import -l source -x -d 'Source of rows that do not name one'
complete -c case-import -l show-mapping -d 'Show how each column is read, then exit'

# the options every cityops tool shares
complete -c case-import -s D -l db -r -F -d 'The store'
complete -c case-import -s f -l format -x -a 'csv tsv json jsonl table md xlsx' -d 'Output format'
complete -c case-import -s i -l input-format -x -a 'csv tsv json jsonl' -d 'Input format'
complete -c case-import -s o -l output -r -F -d 'Write there instead of stdout'
complete -c case-import -l encoding -x -a 'auto utf-8 gb18030 gbk utf-16le utf-16be' -d 'Input encoding'
complete -c case-import -l bom -d 'Write a UTF-8 byte-order mark first'
complete -c case-import -l lang -x -a 'en zh' -d 'Column headers and labels: en or zh'
complete -c case-import -l total -d 'Add the total row (合计) in every format'
complete -c case-import -s n -l dry-run -d 'Do everything, then roll back'
complete -c case-import -s q -l quiet -d 'Hide warnings, progress and summaries'
complete -c case-import -s v -l verbose -d 'Say more'
complete -c case-import -l no-progress -d 'No progress line, even on a terminal'
complete -c case-import -l busy-timeout -x -d 'Wait this long (ms) for another writer; 0: fail at once'
complete -c case-import -s h -l help -d 'Show the help and exit'
complete -c case-import -s V -l version -d 'Show the version and exit'
