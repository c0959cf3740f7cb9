"""Settings: kiosk.toml into frozen dataclasses, with errors naming file, key and expectation."""
from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.config import Settings, load_settings, local_settings_path, pin_file, pin_problem, set_random_pin
from sync.settings import (
    DEFAULT_CONFIG,
    PROJECT_ROOT,
    SettingsError,
    load_catalogue_settings,
    resolve_config_path,
)

FIXTURES = Path(__file__).parent / "fixtures" / "config"
REPO_CONFIG = PROJECT_ROOT / "kiosk.toml"


def error_of(name: str) -> SettingsError:
    with pytest.raises(SettingsError) as info:
        load_settings(FIXTURES / name)
    return info.value


def write(tmp_path: Path, text: str, name: str = "kiosk.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- one fixture per kind of bad config ------------------------------------------------------

BAD_FILES = [
    # file, dotted key, words of the expectation, line
    ("unknown_key.toml", "kiosk.idle_secs", ['unknown key (did you mean "idle_seconds"?)', "idle_seconds"], 3),
    ("unknown_section.toml", "display", ["unknown section", "place, catalogue, kiosk"], 5),
    ("wrong_type.toml", "kiosk.idle_seconds", ['expected an integer between 30 and 3600, got "abc"'], 3),
    ("bool_for_int.toml", "speech.volume", ["expected an integer between 0 and 100, got true"], 3),
    ("out_of_range.toml", "kiosk.idle_seconds", ["expected an integer between 30 and 3600, got 5"], 3),
    ("bad_choice.toml", "speech.backend", ['expected one of "espeak-ng", "pyttsx3", "none", got "festival"'], 3),
    ("bad_pin.toml", "kiosk.volunteer_pin", ["expected a text of 4 to 8 digits", 'got "12a4"'], 3),
    ("language_not_offered.toml", "kiosk.default_language",
     ['expected one of the offered languages ("de", "en"), got "fr"'], 3),
    ("cups_without_queue.toml", "printer.cups_queue", ["expected the name of a CUPS queue"], None),
    ("bad_url_scheme.toml", "catalogue.feed_url",
     ["expected an http:// or https:// URL, a local file path", '"ftp://example.org/hsds/export.json"'], 3),
]


@pytest.mark.parametrize(("name", "key", "expected", "line"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_reported_with_file_key_and_expectation(name, key, expected, line):
    error = error_of(name)
    assert error.path == FIXTURES / name
    assert error.key == key
    assert error.line == line
    text = str(error)
    assert text.startswith(f"{FIXTURES / name}: {key}: ")
    for words in expected:
        assert words in error.message
        assert words in text


def test_toml_syntax_error_names_file_line_and_column():
    error = error_of("syntax_error.toml")
    assert error.path == FIXTURES / "syntax_error.toml"
    assert error.key is None
    assert error.line == 4
    assert str(error).startswith(f"{FIXTURES / 'syntax_error.toml'}: invalid TOML: ")
    assert "line 4, column" in str(error)


def test_error_format_matches_the_documented_example():
    error = SettingsError(Path("kiosk.toml"), "kiosk.idle_seconds",
                          'expected an integer between 30 and 3600, got "abc"')
    assert str(error) == 'kiosk.toml: kiosk.idle_seconds: expected an integer between 30 and 3600, got "abc"'
    assert str(SettingsError(Path("k.toml"), "a.b", "expected x", line=7)) == "k.toml: a.b: expected x (line 7)"


# --- the repository's kiosk.toml -------------------------------------------------------------


def test_repo_kiosk_toml_loads_to_exactly_the_defaults_but_keeps_its_files_in_var():
    # Only the file itself: on a box (and in CI) install.sh has put the PIN into kiosk.local.toml beside it.
    loaded = load_settings(REPO_CONFIG, local=False)
    # A checkout (and a box installed from one) keeps its files in var/ beside kiosk.toml.
    assert loaded.catalogue.database == PROJECT_ROOT / "var" / "catalogue.db"
    assert loaded.statistics.path == PROJECT_ROOT / "var" / "statistics.db"
    # Relative paths resolve beside the settings file: here the clone, for the defaults the XDG config folder.
    assert loaded.place.programme == PROJECT_ROOT / "programme.json"
    defaults = Settings.defaults()
    loaded = dataclasses.replace(
        loaded, catalogue=dataclasses.replace(loaded.catalogue, database=defaults.catalogue.database),
        statistics=dataclasses.replace(loaded.statistics, path=defaults.statistics.path),
        place=dataclasses.replace(loaded.place, programme=defaults.place.programme))
    assert loaded == defaults


def test_default_files_lie_in_the_xdg_folders_never_next_to_the_code(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    defaults = Settings.defaults()
    # Without a settings file, other relative defaults lie where an installed kiosk's kiosk.toml is.
    assert defaults.place.programme == tmp_path / "config" / "dritte-orte-kiosk" / "programme.json"
    assert defaults.catalogue.database == tmp_path / "data" / "dritte-orte-kiosk" / "catalogue.db"
    assert defaults.statistics.path == tmp_path / "state" / "dritte-orte-kiosk" / "statistics.db"
    assert load_catalogue_settings(None) == defaults.catalogue
    # A file without the keys uses the XDG folders too; a relative path in the file is the file's.
    other = write(tmp_path, "[place]\nname = \"x\"\n", "other.toml")
    assert load_settings(other).catalogue.database == defaults.catalogue.database
    mine = write(tmp_path, '[catalogue]\ndatabase = "var/c.db"\n[statistics]\npath = "s.db"\n', "mine.toml")
    assert load_settings(mine).catalogue.database == tmp_path / "var" / "c.db"
    assert load_settings(mine).statistics.path == tmp_path / "s.db"
    # Without $XDG_*_HOME (or with a relative one, which the spec says to ignore): under $HOME.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    monkeypatch.delenv("XDG_STATE_HOME")
    defaults = Settings.defaults()
    assert defaults.catalogue.database == tmp_path / "home" / ".local/share/dritte-orte-kiosk/catalogue.db"
    assert defaults.statistics.path == tmp_path / "home" / ".local/state/dritte-orte-kiosk/statistics.db"


def test_an_installed_kiosk_reads_its_settings_from_the_xdg_config_folder(tmp_path, monkeypatch):
    import sync.settings as settings_module

    monkeypatch.setattr(settings_module, "DEFAULT_CONFIG", tmp_path / "site-packages" / "kiosk.toml")
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    assert resolve_config_path(None, environ) is None
    mine = tmp_path / "config" / "dritte-orte-kiosk" / "kiosk.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text("[kiosk]\nidle_seconds = 30\n", encoding="utf-8")
    assert resolve_config_path(None, environ) == mine


def test_every_setting_is_documented_in_code_and_listed_in_repo_kiosk_toml():
    document = tomllib.loads(REPO_CONFIG.read_text(encoding="utf-8"))
    text = REPO_CONFIG.read_text(encoding="utf-8")
    assert set(document) == {f.name for f in dataclasses.fields(Settings)}
    for section_field in dataclasses.fields(Settings):
        assert section_field.metadata.get("doc", "").strip(), section_field.name
        assert f"[{section_field.name}]" in text
        cls = type(getattr(Settings(), section_field.name))
        for field in dataclasses.fields(cls):
            dotted = f"{section_field.name}.{field.name}"
            assert field.metadata.get("doc", "").strip(), f"{dotted} has no doc"
            assert field.name in document[section_field.name], f"{dotted} is missing from kiosk.toml"
        assert set(document[section_field.name]) == {f.name for f in dataclasses.fields(cls)}


def test_every_key_in_repo_kiosk_toml_has_a_comment_line_above_it():
    lines = REPO_CONFIG.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            assert lines[number - 1].lstrip().startswith("#"), f"line {number + 1}: {line}"


# --- values, types and paths -----------------------------------------------------------------


def test_relative_database_path_resolves_against_the_config_folder(tmp_path):
    folder = tmp_path / "teestube"
    folder.mkdir()
    path = write(folder, '[catalogue]\ndatabase = "data/offers.db"\nfeed_url = "feeds/export.json"\n')
    settings = load_settings(path)
    assert settings.catalogue.database == folder / "data" / "offers.db"
    assert settings.catalogue.feed_url == str(folder / "feeds" / "export.json")
    assert settings.statistics.path.name == "statistics.db"  # no key: the XDG state folder
    assert not settings.statistics.path.is_relative_to(folder)
    assert load_catalogue_settings(path).database == folder / "data" / "offers.db"


def test_absolute_paths_and_http_urls_are_kept(tmp_path):
    path = write(tmp_path, '[catalogue]\ndatabase = "/srv/kiosk/c.db"\nfeed_url = "https://example.org/hsds"\n')
    catalogue = load_catalogue_settings(path)
    assert catalogue.database == Path("/srv/kiosk/c.db")
    assert catalogue.feed_url == "https://example.org/hsds"


def test_int_is_accepted_for_float_but_nan_is_not(tmp_path):
    catalogue = load_catalogue_settings(write(tmp_path, "[catalogue]\ntimeout_seconds = 60\nmin_keep_ratio = 1\n"))
    assert catalogue.timeout_seconds == 60.0 and isinstance(catalogue.timeout_seconds, float)
    assert catalogue.min_keep_ratio == 1.0
    with pytest.raises(SettingsError, match=r"catalogue\.min_keep_ratio: expected a number between 0 and 1, got nan"):
        load_catalogue_settings(write(tmp_path, "[catalogue]\nmin_keep_ratio = nan\n"))


def test_settings_are_frozen_and_lists_become_tuples():
    settings = Settings.defaults()
    assert settings.kiosk.languages == ("de", "de_DE@easy", "en", "uk", "ar", "tr", "ru", "fa", "pl", "ro")
    assert settings.place.location_names == ("Teestube Lengerich",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.kiosk.idle_seconds = 5  # type: ignore[misc]
    hash(settings)


def test_catalogue_loader_ignores_the_kiosk_sections(tmp_path):
    path = write(tmp_path, '[catalogue]\nper_page = 50\n[kiosk]\nanything = "goes for kiosk-sync"\n')
    assert load_catalogue_settings(path) == dataclasses.replace(
        load_catalogue_settings(None), per_page=50)


@pytest.mark.parametrize(("toml", "key", "words"), [
    ("[kiosk]\nidle_seconds = 30\nidle_warning_seconds = 30\n", "kiosk.idle_warning_seconds",
     "expected fewer seconds than kiosk.idle_seconds (30), got 30"),
    ('[kiosk]\nlanguages = ["de", "DE"]\n', "kiosk.languages", "language codes of 2 to 3 lowercase letters"),
    ("[kiosk]\nlanguages = []\n", "kiosk.languages", "a non-empty list"),
    ('[printer]\nbackend = "escpos"\n', "printer.escpos_device", 'when printer.backend is "escpos"'),
    ('[printer]\nescpos_device = "lpt1"\n', "printer.escpos_device", 'a device like "usb:0x04b8:0x0202"'),
    ("[kiosk]\nvolunteer_pin = 2468\n", "kiosk.volunteer_pin", "4 to 8 digits in quotes"),
    ('[kiosk]\nhigh_contrast = "yes"\n', "kiosk.high_contrast", 'expected true or false, got "yes"'),
    ('[place]\nname = "  "\n', "place.name", "expected a non-empty text"),
    ("[place]\nlatitude = 91\n", "place.latitude", "expected a number between -90 and 90, got 91"),
    ("kiosk = 5\n", "kiosk", "expected a table [kiosk], got 5"),
    ('[catalogue]\nfeed_url = "https://"\n', "catalogue.feed_url", "an http:// or https:// URL"),
    ('[kiosk]\nvolunteer_pin = "123"\n', "kiosk.volunteer_pin", 'or "" for none yet, got "123"'),
    # A language without a translation was dropped from the start screen without a word.
    ('[kiosk]\nlanguages = ["de", "en", "fr"]\n', "kiosk.languages", 'no translation for "fr"'),
    ('[kiosk]\ndefault_language = "xx"\nlanguages = ["xx"]\n', "kiosk.languages",
     'no translation for "xx"; translated: "ar", "de", "de_DE@easy", "en", "fa", "pl", "ro", "ru", "tr", "uk"'),
])
def test_more_bad_values(tmp_path, toml, key, words):
    with pytest.raises(SettingsError) as info:
        load_settings(write(tmp_path, toml))
    assert info.value.key == key
    assert words in str(info.value)


def test_printer_backends_with_their_device_are_fine(tmp_path):
    cups = load_settings(write(tmp_path, '[printer]\nbackend = "cups"\ncups_queue = "Brother"\n'))
    assert cups.printer.cups_queue == "Brother"
    escpos = load_settings(write(tmp_path, '[printer]\nbackend = "escpos"\nescpos_device = "net:192.168.1.50"\n'))
    assert escpos.printer.escpos_device == "net:192.168.1.50"


# --- which file -------------------------------------------------------------------------------


def test_env_kiosk_config_is_honoured_and_config_option_beats_it(tmp_path):
    from_env = write(tmp_path, "", "env.toml")
    from_cli = write(tmp_path, "", "cli.toml")
    environ = {"KIOSK_CONFIG": str(from_env)}
    assert resolve_config_path(None, environ) == from_env
    assert resolve_config_path(str(from_cli), environ) == from_cli


def test_without_option_or_env_the_project_kiosk_toml_is_used_never_the_cwd(tmp_path, monkeypatch):
    write(tmp_path, "[kiosk]\nidle_seconds = 1\n")
    monkeypatch.chdir(tmp_path)
    assert resolve_config_path(None, {}) == DEFAULT_CONFIG == REPO_CONFIG
    assert resolve_config_path("", {"KIOSK_CONFIG": ""}) == DEFAULT_CONFIG


def test_missing_named_file_is_an_error(tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(SettingsError, match=r"nope\.toml: config file named by --config does not exist"):
        resolve_config_path(str(missing), {})
    with pytest.raises(SettingsError, match=r"nope\.toml: config file named by \$KIOSK_CONFIG does not exist"):
        resolve_config_path(None, {"KIOSK_CONFIG": str(missing)})
    with pytest.raises(SettingsError, match="config file not found"):
        load_settings(missing)


def test_importing_kiosk_config_does_not_import_textual():
    code = "import sys, kiosk.config; print('textual' in sys.modules, 'kiosk' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def test_importing_sync_settings_imports_neither_kiosk_nor_textual():
    code = "import sys, sync.settings; print(sorted(m for m in ('kiosk', 'textual') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# --- the volunteer PIN ------------------------------------------------------------------------


def test_the_defaults_have_no_pin_and_the_old_public_one_counts_as_none():
    assert Settings.defaults().kiosk.volunteer_pin == ""
    assert pin_problem("") == "unset" and pin_problem("2468") == "public" and pin_problem("730519") is None


def test_a_random_pin_goes_into_the_local_file_and_the_repo_kiosk_toml_stays_as_shipped(tmp_path):
    path = write(tmp_path, REPO_CONFIG.read_text(encoding="utf-8"))
    path.chmod(0o644)
    shipped = path.read_bytes()
    pin = set_random_pin(path)
    assert pin is not None and re.fullmatch(r"[0-9]{6}", pin) and pin_problem(pin) is None
    assert load_settings(path).kiosk.volunteer_pin == pin
    # kiosk.toml untouched and readable by all (a checkout shows no change, an update cannot conflict) ...
    assert path.read_bytes() == shipped and path.stat().st_mode & 0o777 == 0o644
    assert load_settings(path, local=False).kiosk.volunteer_pin == ""
    # ... the secret is in kiosk.local.toml beside it, which only its owner reads
    local = tmp_path / "kiosk.local.toml"
    assert local_settings_path(path) == local and pin_file(path) == local
    assert local.stat().st_mode & 0o777 == 0o600
    assert tomllib.loads(local.read_text(encoding="utf-8")) == {"kiosk": {"volunteer_pin": pin}}
    assert set_random_pin(path) is None and load_settings(path).kiosk.volunteer_pin == pin  # kept on re-runs
    assert path.read_bytes() == shipped


@pytest.mark.parametrize("text", ["", '[place]\nname = "Treff"\n', '[kiosk]\nidle_seconds = 60\n',
                                  '[kiosk]\nvolunteer_pin = "2468"  # the old example\n'])
def test_a_random_pin_goes_where_it_counts_in_any_local_file(tmp_path, text):
    for folder in ("edited", "untouched"):
        (tmp_path / folder).mkdir()
        write(tmp_path / folder, '[kiosk]\nidle_seconds = 120\nvolunteer_pin = "2468"\n')
        write(tmp_path / folder, text, "kiosk.local.toml").chmod(0o644)
    path = tmp_path / "edited" / "kiosk.toml"
    pin = set_random_pin(path)
    settings = load_settings(path)
    assert pin and settings.kiosk.volunteer_pin == pin
    untouched = load_settings(tmp_path / "untouched" / "kiosk.toml")  # the same files without the edit
    assert settings.kiosk == dataclasses.replace(untouched.kiosk, volunteer_pin=pin)
    assert settings.place.name == untouched.place.name
    local = tmp_path / "edited" / "kiosk.local.toml"
    assert local.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "edited" / "kiosk.toml").read_text(encoding="utf-8").count("2468") == 1  # not written
    if "#" in text:
        assert "# the old example" in local.read_text(encoding="utf-8")


def test_kiosk_new_pin_command_tells_the_pin_once(tmp_path):
    path = write(tmp_path, '[place]\nname = "Treff"\n')
    run = [sys.executable, "-m", "kiosk.cli", "--new-pin", "--config", str(path)]
    first = subprocess.run(run, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    pin = load_settings(path).kiosk.volunteer_pin
    assert re.fullmatch(r"[0-9]{6}", pin) and f"is now: {pin}" in first.stdout
    assert str(tmp_path / "kiosk.local.toml") in first.stdout
    assert path.read_text(encoding="utf-8") == '[place]\nname = "Treff"\n'
    second = subprocess.run(run, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert pin not in second.stdout and "already has a volunteer PIN" in second.stdout
    assert str(tmp_path / "kiosk.local.toml") in second.stdout
    (tmp_path / "broken").mkdir()
    broken = write(tmp_path / "broken", "[kiosk]\nidle_seconds = 1\n")
    third = subprocess.run(run[:-1] + [str(broken)], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert third.returncode == 2 and "kiosk.idle_seconds" in third.stderr
    assert "volunteer_pin" not in broken.read_text(encoding="utf-8")
    assert not (tmp_path / "broken" / "kiosk.local.toml").exists()


# --- kiosk.local.toml: what belongs to one box only -------------------------------------------


def test_the_local_file_overrides_the_settings_file_key_by_key(tmp_path):
    path = write(tmp_path, '[place]\nname = "Treff"\ntown = "Lienen"\n[kiosk]\nidle_seconds = 120\n'
                           '[catalogue]\ndatabase = "var/c.db"\n')
    write(tmp_path, '[kiosk]\nvolunteer_pin = "730519"\n[place]\nname = "Treff am See"\n'
                    '[catalogue]\ndatabase = "box/c.db"\n', "kiosk.local.toml")
    settings = load_settings(path)
    assert settings.kiosk.volunteer_pin == "730519" and settings.kiosk.idle_seconds == 120
    assert (settings.place.name, settings.place.town) == ("Treff am See", "Lienen")
    # kiosk-sync reads the same: the kiosk and the sync agree on the catalogue file
    assert load_catalogue_settings(path).database == settings.catalogue.database == tmp_path / "box" / "c.db"
    assert load_catalogue_settings(path, local=False).database == tmp_path / "var" / "c.db"
    assert load_settings(path, local=False).place.name == "Treff"


@pytest.mark.parametrize(("local_text", "key", "line"), [
    ('[kiosk]\n\nvolunteer_pin = "12a4"\n', "kiosk.volunteer_pin", 3),
    ("# mine\n[kiosk]\nidle_secs = 60\n", "kiosk.idle_secs", 3),
    ("[display]\nbright = true\n", "display", 1),
    ("[kiosk]\nidle_warning_seconds = 200\n", "kiosk.idle_warning_seconds", 2),  # against kiosk.toml's 120
    ("[kiosk]\nvolunteer_pin = \n", None, 2),
])
def test_errors_in_the_local_file_name_that_file_and_line(tmp_path, local_text, key, line):
    path = write(tmp_path, "[kiosk]\nidle_seconds = 120\n")
    local = write(tmp_path, local_text, "kiosk.local.toml")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert (info.value.path, info.value.key, info.value.line) == (local, key, line)
    assert str(info.value).startswith(f"{local}: ")
    with pytest.raises(SettingsError) as info:
        load_catalogue_settings(path) if key is None else load_settings(path)
    assert info.value.path == local


def test_errors_in_the_settings_file_still_name_it_when_a_local_file_is_there(tmp_path):
    path = write(tmp_path, "[kiosk]\nidle_seconds = 5\n")
    write(tmp_path, '[kiosk]\nvolunteer_pin = "730519"\n', "kiosk.local.toml")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert (info.value.path, info.value.key, info.value.line) == (path, "kiosk.idle_seconds", 2)


def test_without_a_settings_file_the_local_file_lies_in_the_xdg_config_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    local = tmp_path / "config" / "dritte-orte-kiosk" / "kiosk.local.toml"
    assert local_settings_path(None) == local and load_settings(None).kiosk.volunteer_pin == ""
    assert set_random_pin(None) is not None  # an installed kiosk without a kiosk.toml of its own
    assert local.stat().st_mode & 0o777 == 0o600
    assert pin_problem(load_settings(None).kiosk.volunteer_pin) is None
    assert Settings.defaults().kiosk.volunteer_pin == ""  # the built-in defaults read no file


def test_git_ignores_the_local_file():
    if not (PROJECT_ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    done = subprocess.run(["git", "check-ignore", "-q", "kiosk.local.toml"], cwd=PROJECT_ROOT)
    assert done.returncode == 0, "kiosk.local.toml holds the box's PIN: .gitignore must list it"
