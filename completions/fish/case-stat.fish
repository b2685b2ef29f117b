# fish completion for case-stat(1) - cityops

# the arguments are a report: no file names
complete -c case-stat -f

# the report: summary, or by KEY[,KEY2]
function __case_stat_args
    # the words after the command that are neither options nor their values
    set -l words (commandline -opc)
    set -e words[1]
    set -l skip 0
    for w in $words
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case -D -f -i -o --db --format --input-format --output --encoding --lang \
                --month --quarter --year --from --to --by-time --denominator \
                --top --compare --template --at --calendar --work-hours \
                --sort --busy-timeout --satisfied
                set skip 1
            case '-*'
            case '*'
                echo $w
        end
    end
end

function __case_stat_needs_report
    test (count (__case_stat_args)) -eq 0
end

function __case_stat_needs_key
    set -l a (__case_stat_args)
    test (count $a) -eq 1; and test "$a[1]" = by
end

function __case_stat_keys
    set -l keys category big_class class kind unit street community source \
        reporter month week day hour state
    set -l tok (commandline -ct)
    if string match -q '*,*' -- $tok
        set -l first (string split -m 1 , -- $tok)[1]
        for k in $keys
            echo $first,$k
        end
    else
        printf '%s\n' $keys
    end
end

# --sort: a column, or -column for descending
function __case_stat_columns
    for c in category big_class class kind unit street community source \
        reporter month week day hour state received closed closure_rate \
        ontime_closure_rate overdue previous_received change change_pct total
        printf '%s\n' $c -$c
    end
end

complete -c case-stat -n __case_stat_needs_report -a summary -d 'The standard indicators (default)'
complete -c case-stat -n __case_stat_needs_report -a by -d 'Counts and rates by one or two keys'
complete -c case-stat -n __case_stat_needs_key -a '(__case_stat_keys)' -d 'Key'
complete -c case-stat -n __case_stat_needs_report -a hotline -d 'The 12345 tickets'

function __case_stat_hotline_needs
    # hotline_needs N: the report is hotline and N words came after it
    set -l a (__case_stat_args)
    test (count $a) -eq (math $argv[1] + 1); and test "$a[1]" = hotline
end

complete -c case-stat -n '__case_stat_hotline_needs 0' -a by -d 'The figures by a key'
complete -c case-stat -n '__case_stat_hotline_needs 1' -a 'category type unit channel status month' -d 'Key'

# the tool's own options
complete -c case-stat -l month -x -d 'The cases of a month (YYYY-MM)'
complete -c case-stat -l quarter -x -d 'The cases of a quarter (2023Q4)'
complete -c case-stat -l year -x -d 'The cases of a year (YYYY)'
complete -c case-stat -l from -x -d 'The period starts here (inclusive)'
complete -c case-stat -l to -x -d 'The period ends here (exclusive)'
complete -c case-stat -l by-time -x -a 'reported closed due' -d 'Which time puts a case in the period'
complete -c case-stat -l denominator -x -a 'received due' -d 'What closure rates are counted over'
complete -c case-stat -l top -x -d 'Only the N rows with the most cases'
complete -c case-stat -l compare -x -a 'prev\t环比 yoy\t同比' -d 'Add the previous period or the year before'
complete -c case-stat -l template -r -F -d 'Fill the {{...}} placeholders of a text'
complete -c case-stat -l at -x -d 'Count overdue cases as of this time (default: now)'
complete -c case-stat -l calendar -r -F -d 'Holidays and make-up days (calendar.csv)'
complete -c case-stat -l work-hours -x -d 'Working hours (08:30-12:00,14:30-18:00)'
complete -c case-stat -l no-cache -d 'Count from the cases, not the facts kept per month'
complete -c case-stat -l sort -x -a '(__case_stat_columns)' -d 'Order the rows by a column (-COLUMN: descending)'
complete -c case-stat -l pivot -d 'By ROWS,COLUMNS as a cross-tab of the cases received'
complete -c case-stat -l satisfied -x -d 'Hotline: the levels that count as satisfied'

# the options every cityops tool shares
complete -c case-stat -s D -l db -r -F -d 'The store'
complete -c case-stat -s f -l format -x -a 'csv tsv json jsonl table md xlsx' -d 'Output format'
complete -c case-stat -s i -l input-format -x -a 'csv tsv json jsonl' -d 'Input format of ids on stdin'
complete -c case-stat -s o -l output -r -F -d 'Write there instead of stdout'
complete -c case-stat -l encoding -x -a 'auto utf-8 gb18030 gbk utf-16le utf-16be' -d 'Input encoding'
complete -c case-stat -l bom -d 'Write a UTF-8 byte-order mark first'
complete -c case-stat -l lang -x -a 'en zh' -d 'Column headers and labels: en or zh'
complete -c case-stat -l total -d 'Add the total row (合计) in every format'
complete -c case-stat -s n -l dry-run -d 'Accepted; case-stat changes nothing'
complete -c case-stat -s q -l quiet -d 'Hide warnings, progress and summaries'
complete -c case-stat -s v -l verbose -d 'Say more'
complete -c case-stat -l no-progress -d 'No progress line, even on a terminal'
complete -c case-stat -l busy-timeout -x -d 'Wait this long (ms) for another writer; 0: fail at once'
complete -c case-stat -s h -l help -d 'Show the help and exit'
complete -c case-stat -s V -l version -d 'Show the version and exit'
