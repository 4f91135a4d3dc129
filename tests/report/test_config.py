"""``python -m report --config FILE.toml``: read with tomllib, validated by each experiment's own
parser; a bad file is one line naming the file, the line and the key (exit status 2)."""
import pytest

from common.cli import UserError
from report.config import read_config
from support import run_module


def _csv(path):
    """A data file the README's example may use: enough rows for its batch sizes (1, 10, 100)."""
    path.write_text("a,b,y\n" + "".join(f"{i},{(3 * i) % 7},{i % 2}\n" for i in range(200)))


def _config(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text)
    return path


def test_the_issue_example_becomes_command_line_options(tmp_path):
    _csv(tmp_path / "my.csv")
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
    _csv(tmp_path / "my.csv")
    c = read_config(_config(tmp_path, example))
    assert set(c.options) == {"sgd", "gan"} and c.options["gan"] == ["--seeds=3"]


@pytest.mark.parametrize("kind", ["FIFO", "/dev/zero"])
def test_a_config_that_is_a_fifo_or_a_device_is_one_line_not_a_hang(tmp_path, kind):
    """21.7: a FIFO blocked forever; /dev/zero was read until memory ran out."""
    import os
    import resource
    special = tmp_path / "c.toml" if kind == "FIFO" else "/dev/zero"
    if kind == "FIFO":
        os.mkfifo(special)
    cap = lambda: resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # fail fast, not the machine
    r = run_module("report", "--out", str(tmp_path / "D"), "--config", str(special), timeout=300, preexec_fn=cap)
    assert r.returncode == 2 and r.stderr == (f"error: cannot read the config file '{special}': it is not a "
                                              f"regular file ({'a FIFO' if kind == 'FIFO' else 'a device'})\n")
    assert not (tmp_path / "D").exists()


@pytest.mark.parametrize("text, says", [
    # 21.11: a TOML value of a type no option takes (a date here) was a TypeError traceback
    ("[sgd]\nseeds = 1979-05-27\n", "c.toml:2: [sgd] seeds: 1979-05-27 is a date"),
    ("[sgd]\n\nseed = 07:32:00\n", "c.toml:3: [sgd] seed: 07:32:00 is a time"),
    ("[gan]\nseeds = [[1, 2]]\n", "c.toml:2: [gan] seeds: [[1, 2]] is a nested list"),
    # 21.13: values the experiment refuses beyond its parser ran the others for minutes, then exit 1
    ("[gan]\nscenario = \"z\"\n", "c.toml:2: [gan] scenario: unknown scenario 'z'"),
    ("[sgd]\nn = 1\n", "c.toml:2: [sgd] n: --n 1: need at least 2 rows"),
    ("[vae]\nvar-repeats = 1\n", "c.toml:2: [vae] var-repeats: --var-repeats must be at least 2"),
    ("[gan]\nsteps = 3\nseeds = 12345678901234567890123456\n", "c.toml:3: [gan] seeds: "),
    ("[sgd]\nseeds = 12345678901234567890123456\n", "c.toml:2: [sgd] seeds: "),
])
def test_every_value_is_checked_by_the_experiment_before_anything_runs(tmp_path, text, says):
    with pytest.raises(UserError) as err:
        read_config(_config(tmp_path, text))
    assert str(err.value).startswith(f"{tmp_path}/{says}") and "\n" not in str(err.value), str(err.value)


def test_a_combination_the_experiment_refuses_names_the_table(tmp_path):
    (tmp_path / "my.csv").write_text("a,b,y\n1,2,1\n2,1,0\n3,3,1\n")
    with pytest.raises(UserError) as err:
        read_config(_config(tmp_path, '[sgd]\ndata = "my.csv"\nbatch-sizes = [1, 10]\n'))
    assert str(err.value) == f"{tmp_path}/c.toml:1: [sgd]: batch size 10 exceeds the number of rows n = 3"


def test_a_bad_value_exits_2_before_any_experiment_runs(tmp_path):
    r = run_module("report", "--out", str(tmp_path / "D"), "--config", str(_config(tmp_path, "[sgd]\nn = 1\n")),
                   timeout=300)
    assert r.returncode == 2 and r.stderr == f"error: {tmp_path / 'c.toml'}:2: [sgd] n: --n 1: need at least 2 rows\n"
    assert not (tmp_path / "D").exists()
