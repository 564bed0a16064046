"""Filling paragraphs for the terminal: widths of CJK text, and where lines may break."""
from nskb.report.terminal import display_width, wrap


def test_cjk_characters_take_two_columns():
    assert display_width("用户命名空间") == 12
    assert display_width("userns") == 6


def test_lines_stay_within_the_width_and_keep_every_character():
    text = "内核在创建用户命名空间时会调用 LSM 钩子，AppArmor 借此判断调用者是否受限。" * 3
    lines = wrap(text, 30, indent="  ")
    assert all(display_width(line) <= 32 for line in lines)
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")


def test_closing_punctuation_never_starts_a_line():
    text = "直接写明原因：`nesting depth or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)`。然后退出，不再重试。"
    for width in range(20, 90):
        for line in wrap(text, width):
            assert not line.lstrip().startswith(("。", "，", "、", "：", "）")), (width, line)


def test_punctuation_against_a_code_span_stays_on_its_line():
    text = ("Builds such as `podman build --arch`, GitHub Actions steps emulated with "
            "`docker/setup-qemu-action`, NixOS's `boot.binfmt.emulatedSystems` (`aarch64-linux`), and more.")
    for width in range(20, 90):
        for line in wrap(text, width):
            assert not line.lstrip().startswith((",", ")", ".")), (width, line)
        assert " ".join(line.strip() for line in wrap(text, width)) == text
