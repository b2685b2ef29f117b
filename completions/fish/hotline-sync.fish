# fish completion for hotline-sync(1) - cityops

function __hotline_sync_map
    # --map SRC=DST: SRC is the input's column; offer the fields after '='
    set -l tok (commandline -ct | string unescape)
    set tok (string replace -r -- '^--map=' '' $tok)
    string match -q -- '*=*' $tok; or return
    set -l src (string replace -r -- '=[^=]*$' '' $tok)
    for f in id received_at channel type category title content address \
            caller phone urgent unit due_at status signed_at done_at reply \
            result satisfaction revisited_at lat lon updated
        echo $src=$f
    end
end

complete -c hotline-sync -F

# the tool's own options
complete -c hotline-sync -l show-mapping -d 'Show how each input column is read, store nothing'
complete -c hotline-sync -l map -x -a '(__hotline_sync_map)' -d 'Read column SRC as field DST (SRC=DST, repeatable)'
complete -c hotline-sync -l date-format -x -d 'strptime format of the export times'
complete -c hotline-sync -l rejects -r -F -d 'Write bad rows, with their reason, to FILE'
complete -c hotline-sync -s k -l keep-going -d 'Sync the good rows of a file that has bad ones'
complete -c hotline-sync -l keep-pii -d 'Store and export callers unmasked'
complete -c hotline-sync -l at -x -d 'Judge deadlines as of this time'
complete -c hotline-sync -l due-soon -x -d 'List open tickets due within HOURS'
complete -c hotline-sync -l fail-on-overdue -d 'Exit 1 when an open ticket is overdue'
complete -c hotline-sync -l limits -r -F -d 'Time limits by request type (limits.csv)'
complete -c hotline-sync -l calendar -r -F -d 'Holidays and make-up days (calendar.csv)'
complete -c hotline-sync -l work-hours -x -d 'Working hours (08:30-12:00,14:30-18:00)'
complete -c hotline-sync -l create-cases -d 'Open a case for each new ticket the rules place'
complete -c hotline-sync -l rules -r -F -d 'The routing rules (rules.csv)'
complete -c hotline-sync -l units -r -F -d 'The units the rules name (units.csv)'
complete -c hotline-sync -l classes -r -F -d 'The taxonomy (classes.csv)'
complete -c hotline-sync -l replies -r -F -d 'Write the replies done since the last run'
complete -c hotline-sync -l to-open311 -r -F -d 'Write every ticket as Open311 JSON'

# the options every cityops tool shares
complete -c hotline-sync -s D -l db -r -F -d 'The store'
complete -c hotline-sync -s f -l format -x -a 'csv tsv json jsonl table md xlsx' -d 'Output format'
complete -c hotline-sync -s i -l input-format -x -a 'csv tsv json jsonl' -d 'Input format'
complete -c hotline-sync -s o -l output -r -F -d 'Write there instead of stdout'
complete -c hotline-sync -l encoding -x -a 'auto utf-8 gb18030 gbk utf-16le utf-16be' -d 'Input encoding'
complete -c hotline-sync -l bom -d 'Write a UTF-8 byte-order mark first'
complete -c hotline-sync -l lang -x -a 'zh en' -d 'Column headers in Chinese or English'
complete -c hotline-sync -l total -d 'End a table with a total row'
complete -c hotline-sync -s n -l dry-run -d 'Do everything, then roll back'
complete -c hotline-sync -s q -l quiet -d 'Hide warnings, progress and summaries'
complete -c hotline-sync -s v -l verbose -d 'Say more'
complete -c hotline-sync -l no-progress -d 'No progress line, even on a terminal'
complete -c hotline-sync -l busy-timeout -x -d 'Wait this long (ms) for a locked store'
complete -c hotline-sync -s h -l help -d 'Show the help and exit'
complete -c hotline-sync -s V -l version -d 'Show the version and exit'
