from jsgj.cli import main

main()
