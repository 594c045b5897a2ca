from jsgj.cli.app import main

main()
