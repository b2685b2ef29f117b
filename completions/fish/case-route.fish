# fish completion for case-route(1) - cityops

# the arguments are case ids: no file names
complete -c case-route -f

# the tool's own options
complete -c case-route -l rules -r -F -d 'Routing rules (rules.csv)'
complete -c case-route -l units -r -F -d 'The units rules may name (units.csv)'
complete -c case-route -l owners -r -F -d 'Owners of components (owners.csv)'
complete -c case-route -l classes -r -F -d 'The taxonomy (classes.csv)'
complete -c case-route -l calendar -r -F -d 'Holidays and make-up days (calendar.csv)'
complete -c case-route -l work-hours -x -d 'Working hours (08:30-12:00,14:30-18:00)'
complete -c case-route -l pending -d 'Dispatch every registered case that has no unit'
complete -c case-route -l at -x -d 'Act at this time (default: now)'
complete -c case-route -l explain -d 'Show which rule matches and why earlier ones do not'
complete -c case-route -l check-rules -d 'Check the rules file and exit'
complete -c case-route -l events -r -F -d 'Apply workflow events from FILE'
complete -c case-route -l overdue -d 'List open cases past their deadline'
complete -c case-route -s k -l keep-going -d 'Apply the good events of a file that has bad ones'
complete -c case-route -l rejects -r -F -d 'Write bad event rows, with their reason, to FILE'
complete -c case-route -l match-limit -x -d 'PCRE2 match limit per pattern and case'
complete -c case-route -l default-limit -x -d 'Deadline when neither rule nor class has one (3wd)'

# the options every cityops tool shares
complete -c case-route -s D -l db -r -F -d 'The store'
complete -c case-route -s f -l format -x -a 'csv tsv json jsonl table md xlsx' -d 'Output format'
complete -c case-route -s i -l input-format -x -a 'csv tsv json jsonl' -d 'Input format'
complete -c case-route -s o -l output -r -F -d 'Write there instead of stdout'
complete -c case-route -l encoding -x -a 'auto utf-8 gb18030 gbk utf-16le utf-16be' -d 'Input encoding'
complete -c case-route -l bom -d 'Write a UTF-8 byte-order mark first'
complete -c case-route -l lang -x -a 'en zh' -d 'Column headers and labels: en or zh'
complete -c case-route -l total -d 'Add the total row (合计) in every format'
complete -c case-route -s n -l dry-run -d 'Do everything, then roll back'
complete -c case-route -s q -l quiet -d 'Hide warnings, progress and summaries'
complete -c case-route -s v -l verbose -d 'Say more'
complete -c case-route -l no-progress -d 'No progress line, even on a terminal'
complete -c case-route -l busy-timeout -x -d 'Wait this long (ms) for another writer; 0: fail at once'
complete -c case-route -s h -l help -d 'Show the help and exit'
complete -c case-route -s V -l version -d 'Show the version and exit'
