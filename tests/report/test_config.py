"""``python -m report --config FILE.toml``: read with tomllib, validated by each experiment's own
parser; a bad file is one line naming the file, the line and the key (exit status 2)."""
import pytest

from common.cli import UserError
from report.config import read_config
from support import run_module


def _config(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text)
    return path


def test_the_issue_example_becomes_command_line_options(tmp_path):
    (tmp_path / "my.csv").write_text("a,b,y\n1,2,1\n2,1,0\n")
    c = read_config(_config(tmp_path, '[sgd]\ndata = "my.csv"\nbatch-sizes = [1, 10, 100]\n[gan]\nseeds = 3\n'))
    assert c.options == {"sgd": [f"--data={tmp_path / 'my.csv'}", "--batch-sizes", "1", "10", "100"],
                         "gan": ["--seeds=3"]}
    assert c.tables["gan"] == {"seeds": 3}


def test_flags_are_true_or_false(tmp_path):
    assert read_config(_config(tmp_path, "[vae]\nquick = true\n")).options == {"vae": ["--quick"]}
    assert read_config(_config(tmp_path, "[vae]\nquick = false\n")).options == {"vae": []}


@pytest.mark.parametrize("text, says", [
    ("[gan]\nsteps = 3\nseedz = 3\n", "c.toml:3: [gan] seedz: unknown key; did you mean 'seed'?"),
    ("[sgd]\n\nbatch = 3\n", "c.toml:3: [sgd] batch: unknown key; did you mean 'batch-sizes'?"),
    ("[gan]\nseeds = 0\n", "c.toml:2: [gan] seeds: 0 is not accepted: argument --seeds: '0' must be a positive integer"),
    ("[gan]\nseeds = 2.5\n", "c.toml:2: [gan] seeds: 2.5 is not accepted"),
    ("[sgd]\nbatch-sizes = [1, 0]\n", "c.toml:2: [sgd] batch-sizes: [1, 0] is not accepted"),
    ("[vae]\nlr = -1.0\n", "c.toml:2: [vae] lr: -1.0 is not accepted"),
    ("[vae]\nquick = 3\n", "c.toml:2: [vae] quick: 3 is not accepted"),
    ("[vae]\nepochs = true\n", "c.toml:2: [vae] epochs: true is not accepted"),
    ("[gan]\nout = \"elsewhere\"\n", "c.toml:2: [gan] out: is set by the report"),
    ("[gan]\nquiet = true\n", "c.toml:2: [gan] quiet: is set by the report"),
    ("[sgdx]\nn = 3\n", "c.toml:1: [sgdx]: unknown table; the experiments are [sgd], [gan], [vae]"),
    ("seeds = 3\n", "c.toml:1: seeds: a key outside any table"),
    ("[gan\n", "c.toml: not a valid TOML file"),
])
def test_bad_content_names_file_line_and_key(tmp_path, text, says):
    with pytest.raises(UserError) as err:
        read_config(_config(tmp_path, text))
    assert says in str(err.value) and "\n" not in str(err.value)


def test_the_command_exits_2_with_one_line(tmp_path):
    r = run_module("report", "--out", str(tmp_path / "D"), "--config", str(_config(tmp_path, "[gan]\nseedz = 1\n")),)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "[gan] seedz: unknown key" in r.stderr
    assert not (tmp_path / "D").exists()


def test_a_missing_config_file_exits_2(tmp_path):
    r = run_module("report", "--out", str(tmp_path / "D"), "--config", str(tmp_path / "none.toml"))
    assert r.returncode == 2 and r.stderr.startswith("error: cannot read the config file")


def test_the_readme_example_is_accepted(tmp_path):
    import re
    from support import ROOT
    example = re.search(r"```toml\n(.*?)```", (ROOT / "README.md").read_text(), re.S)[1]
    (tmp_path / "my.csv").write_text("a,b,y\n1,2,1\n2,1,0\n")
    c = read_config(_config(tmp_path, example))
    assert set(c.options) == {"sgd", "gan"} and c.options["gan"] == ["--seeds=3"]
