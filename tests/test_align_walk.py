"""`translate align` walks folders by the rules of every command (translate.discover)."""

from __future__ import annotations


def test_align_folders_skip_links_leaving_the_folder_and_the_output_folder(tmp_path):
    from translate.sentalign.run import pair_folders

    source, target, outside = tmp_path / "fr", tmp_path / "en", tmp_path / "outside"
    for folder in (source, target, outside):
        folder.mkdir()
    (source / "a.txt").write_text("Le chat dort.", encoding="utf-8")
    (target / "a.en.txt").write_text("The cat sleeps.", encoding="utf-8")
    (outside / "b.txt").write_text("Le chien mange.", encoding="utf-8")
    (source / "b.txt").symlink_to(outside / "b.txt")
    (source / "out").mkdir()
    (source / "out" / "c.txt").write_text("Une sortie.", encoding="utf-8")

    pairs, problems = pair_folders(source, target, source / "out")
    assert pairs == [("a.txt", "a.en.txt")]
    assert any(problem.startswith("b.txt: skipped:") for problem in problems), problems
    assert not any("c.txt" in problem for problem in problems), problems  # the output folder is not walked
