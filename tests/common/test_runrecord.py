"""common.runrecord: the reuse key follows the options as parsed and the bytes of input files."""
from argparse import Namespace

from common.runrecord import identify, options_of


def test_output_folder_quiet_and_jobs_are_not_inputs():
    a = options_of(Namespace(out="x", quiet=True, jobs=4, seeds=3, experiment="sgd"))
    assert a == {"seeds": 3}


def test_the_key_follows_the_content_of_an_input_file(tmp_path):
    data = tmp_path / "my.csv"
    data.write_text("a,y\n1,1\n")
    key = lambda: identify("numeric.sgd.experiment", Namespace(out="D", data=str(data)), ("data",))[2]
    first = key()
    assert key() == first
    data.write_text("a,y\n2,1\n")
    assert key() != first


def test_a_relative_and_an_absolute_path_to_the_same_file_agree(tmp_path, monkeypatch):
    (tmp_path / "my.csv").write_text("a,y\n1,1\n")
    monkeypatch.chdir(tmp_path)
    rel = identify("numeric.sgd.experiment", Namespace(data="my.csv"), ("data",))
    absolute = identify("numeric.sgd.experiment", Namespace(data=str(tmp_path / "my.csv")), ("data",))
    assert rel == absolute and rel[0]["data"] == str(tmp_path / "my.csv")


def test_a_fifo_is_not_read(tmp_path):
    import os
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    options, inputs, _ = identify("numeric.sgd.experiment", Namespace(data=str(fifo)), ("data",))
    assert inputs["data"]["sha256"] is None  # hashing it would hang; the experiment refuses it
