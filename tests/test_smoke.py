from conftest import Invoke


def test_help_lists_commands(jsgj: Invoke) -> None:
    result = jsgj("--help")
    assert result.exit_code == 0
    assert "measures" in result.stdout
