#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real window and the command line on one database (issue 14, item 1).

  e2e-beside-cli.py MESODESK MESODESK_CLI FOLDER

Makes FOLDER/clinic.db with `mesodesk-cli patient add`, starts MESODESK on
it and shows its patient list, schedule and aftercare (each view opens its
own connection). Then, in turns, the command line lists, adds patients,
books appointments and makes a backup, while the window adds patients
through its editor (Ctrl+N, over AT-SPI). After each step the window holds
no file of the database that was deleted under it, and the write-ahead log
is there. At the end, the window closed, every patient either side
acknowledged is in the database exactly once, no record number was given
twice, `check` passes, and the backup holds what was acknowledged before
it. Run under Xvfb and a session bus; exits 1 naming what went wrong.

Before the store stopped open()ing the database beside SQLite (commit
cdca56e), a command that ran beside the window deleted the -wal and -shm
under it, and the two then wrote to different copies."""
import importlib.util
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

# The receptionist's driver: its Window, steps and AT-SPI helpers.
_spec = importlib.util.spec_from_file_location(
    "e2e_receptionist", pathlib.Path(__file__).resolve().parent / "e2e-receptionist.py")
ui = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ui)
finish = ui.finish

NOW = "2026-11-20T10:00"  # a Friday; appointments go on the Monday after
BOOK_DAY = "2026-11-23"


class Clinic:
    """The database, the command line beside the window, and what each side
    acknowledged."""

    def __init__(self, cli, folder):
        self.cli = cli
        self.folder = pathlib.Path(folder)
        self.database = self.folder / "clinic.db"
        self.backup = self.folder / "backup.db"
        self.desk = {}  # name -> the record number the command line printed
        self.window_names = []
        self.appointments = []
        self.problems = []

    def run(self, *args, database=None):
        done = subprocess.run([self.cli, "--database", str(database or self.database),
                               *args], capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise ui.StepFailed(f"mesodesk-cli {' '.join(args)}: exit status "
                                f"{done.returncode}: {done.stderr.strip()}")
        return done.stdout

    def add(self, name):
        self.desk[name] = int(self.run("patient", "add", "--name", name).strip())

    def book(self, name, at):
        self.appointments.append(int(self.run("appointment", "book", "--patient",
                                              str(self.desk[name]), "--at", at,
                                              "--area", "face").strip()))

    def patients(self, database=None):
        return json.loads(self.run("patient", "list", "--limit", "1000", "--json",
                                   database=database))

    def check_files(self, pid, after):
        """The window holds no deleted file of the database; the log is there."""
        prefix = str(self.database)
        deleted = []
        fds = pathlib.Path(f"/proc/{pid}/fd")
        for fd in fds.iterdir():
            try:
                target = os.readlink(fd)
            except OSError:  # closed while we looked
                continue
            if target.startswith(prefix) and target.endswith(" (deleted)"):
                deleted.append(target)
        if deleted:
            self.problems.append(f"after {after}, the window holds deleted files: "
                                 + ", ".join(sorted(set(deleted))))
        if not pathlib.Path(prefix + "-wal").exists():
            self.problems.append(f"after {after}, {self.database.name}-wal is gone")


def add_in_window(window, main, name):
    ui.press_ctrl("n")
    editor = window.frame("New Patient")
    ui.type_into(editor, "Name", name)
    ui.close_with(window, editor, "Save")
    # Saved: the editor closed and the new patient's page shows.
    ui.find(main, f"the page of {name}",
            lambda n: ui.role_of(n) == "label" and ui.name_of(n) == name)


def show_views(main):
    """Each view reads through a connection of its own."""
    ui.click(main, "Schedule")
    ui.find_named(main, "table", "Appointments")
    ui.click(main, "Aftercare")
    ui.find_named(main, "list", "Today’s aftercare")
    ui.click(main, "Patients")


def quit_window(window):
    """Ctrl+Q, so the window closes its connections as a person's would."""
    ui.press_ctrl("q")
    try:
        window.process.wait(10)
    except subprocess.TimeoutExpired:
        raise ui.StepFailed("the window did not quit on Ctrl+Q") from None
    window.stop()


def expect_once(problems, where, listed, names):
    counts = {}
    for patient in listed:
        counts[patient["name"]] = counts.get(patient["name"], 0) + 1
    for name in names:
        if counts.get(name, 0) != 1:
            problems.append(f"{where}: “{name}” is there {counts.get(name, 0)} times, "
                            "not once")


def main():
    program, cli, folder = sys.argv[1:4]
    os.environ["MESODESK_NOW"] = NOW
    os.environ["TZ"] = "Europe/Berlin"
    os.environ.pop("MESODESK_DATABASE", None)  # the tests' environment sets it empty
    # The last run's files stay for a look until the next run.
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    clinic = Clinic(cli, folder)
    run = ui.Run(clinic.folder / "shots")
    # Screenshots only of a step that failed: each costs up to 3 s.
    shoot = run.shoot
    run.shoot = lambda slug: shoot(slug) if slug.endswith("-FAILED") else None
    started = time.monotonic()

    try:
        clinic.add("Desk A")
        window = run.window = ui.Window(program, str(clinic.database),
                                        clinic.folder / "window.log")
        pid = window.process.pid
        main = None
        try:
            def start():
                nonlocal main
                main = window.frame("Mesodesk")
                ui.find(main, "Desk A in the patient list",
                        lambda n: ui.role_of(n) == "label" and ui.name_of(n) == "Desk A")
                show_views(main)
                clinic.check_files(pid, "the window opened its views")
            run.step("start", "the window shows its views", start)

            def window_adds(name):
                def action():
                    add_in_window(window, main, name)
                    clinic.window_names.append(name)
                    clinic.check_files(pid, f"the window added {name}")
                return action

            def desk(title, *actions):
                def action():
                    for what in actions:
                        what()
                    clinic.check_files(pid, title)
                return action

            run.step("window-a", "the window adds a patient", window_adds("Window A"))
            run.step("cli-list", "the command line lists",
                     desk("mesodesk-cli patient list", lambda: clinic.patients()))
            run.step("cli-add", "the command line adds and books",
                     desk("mesodesk-cli patient add and appointment book",
                          lambda: clinic.add("Desk B"),
                          lambda: clinic.book("Desk A", f"{BOOK_DAY}T09:00")))
            run.step("window-b", "the window adds a patient", window_adds("Window B"))
            run.step("cli-backup", "the command line makes a backup",
                     desk("mesodesk-cli backup",
                          lambda: clinic.run("backup", str(clinic.backup))))
            before_backup = sorted([*clinic.desk, *clinic.window_names])
            run.step("views-again", "the window shows its views again",
                     lambda: (show_views(main),
                              clinic.check_files(pid, "the views were shown again")))
            run.step("window-c", "the window adds a patient", window_adds("Window C"))
            run.step("cli-more", "the command line adds, books and lists",
                     desk("mesodesk-cli patient add, appointment book, patient list",
                          lambda: clinic.add("Desk C"),
                          lambda: clinic.book("Desk B", f"{BOOK_DAY}T11:00"),
                          lambda: clinic.patients()))
            run.step("window-d", "the window adds a patient", window_adds("Window D"))
            run.step("quit", "the window quits", lambda: quit_window(window))
        finally:
            window.stop()
        window.check_log()

        def records():
            problems = clinic.problems
            listed = clinic.patients()
            expect_once(problems, "the database", listed,
                        [*clinic.desk, *clinic.window_names])
            ids = [p["id"] for p in listed]
            if len(ids) != len(set(ids)):
                problems.append(f"record numbers given twice: {sorted(ids)}")
            by_name = {p["name"]: p["id"] for p in listed}
            for name, number in clinic.desk.items():
                if name in by_name and by_name[name] != number:
                    problems.append(f"“{name}” was acknowledged as {number}, "
                                    f"is now {by_name[name]}")
            if sorted(set(clinic.desk.values())) != sorted(clinic.desk.values()):
                problems.append(f"the command line was given a number twice: {clinic.desk}")
            booked = json.loads(clinic.run("appointment", "list", "--from", BOOK_DAY,
                                           "--to", BOOK_DAY, "--json"))
            found = sorted(a["id"] for a in booked)
            if found != sorted(clinic.appointments):
                problems.append(f"appointments {sorted(clinic.appointments)} "
                                f"acknowledged, {found} booked")
            clinic.run("check")
            # Opened as a copy: opening may migrate, and the backup stays a backup.
            copy = clinic.folder / "backup-opened.db"
            copy.write_bytes(clinic.backup.read_bytes())
            clinic.run("check", database=copy)
            in_backup = sorted(p["name"] for p in clinic.patients(database=copy))
            if in_backup != before_backup:
                problems.append(f"the backup holds {in_backup}, not {before_backup}")
            print(f"   {len(listed)} patients, {len(found)} appointments, "
                  f"{len(in_backup)} patients in the backup")
            if problems:
                raise ui.StepFailed("\n  ".join(problems))
        run.step("records", "every acknowledged record is there, once", records)
    except ui.StepFailed as error:
        finish([f"FAIL: {error}", f"screenshots and the window's log: {clinic.folder}"]
               + [f"also: {p}" for p in clinic.problems if p not in str(error)])
    finish([], f"{run.count} steps passed in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
