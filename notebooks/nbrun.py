#!/usr/bin/env python3
"""Execute notebooks headless without losing late outputs.

The Deno kernel sometimes publishes a cell's `execute_result` / `display_data`
on iopub *after* it has published `status: idle` for that cell. Plain nbclient
(and so `jupyter nbconvert --execute`) stops reading a cell's messages at idle,
and the next cell's reader discards messages whose parent is another cell, so
such outputs vanish silently.

This client keeps a map from each executed request to its cell: a message that
arrives late is written into the cell it belongs to, whichever cell is running.
After the last cell it keeps reading until iopub has been quiet for `--linger`
seconds. Any error output (on time or late) fails the run.

Usage: nbrun.py [--out DIR] [--timeout S] [--linger S] NOTEBOOK...
Prints one JSON line per notebook: {"notebook", "ok", "cells", "outputs",
"late_outputs", "seconds", "error"?}. Exit status 1 if any notebook failed.
"""

import argparse
import asyncio
import json
import os
import sys
import time
from queue import Empty

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError
from nbclient.util import ensure_async

OUTPUT_MSG_TYPES = {"execute_result", "display_data", "stream", "error"}


class LateOutputClient(NotebookClient):
    """NotebookClient that routes late iopub messages to the cell they belong to."""

    linger = 1.0  # seconds of iopub silence that end the final drain

    def reset_execution_trackers(self):
        super().reset_execution_trackers()
        self._cell_of_request = {}
        self.late_outputs = 0

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        self._cell_of_request[parent_msg_id] = (cell, cell_index)
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    return
            else:
                self._route_late(msg)

    def _route_late(self, msg):
        target = self._cell_of_request.get(msg["parent_header"].get("msg_id"))
        if target is None:
            return
        if msg["header"]["msg_type"] in OUTPUT_MSG_TYPES:
            self.late_outputs += 1
        try:
            self.process_message(msg, *target)
        except CellExecutionComplete:
            pass

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        result = await super().async_execute_cell(
            cell, cell_index, execution_count=execution_count, store_history=store_history
        )
        if cell_index == len(self.nb.cells) - 1:
            await self._drain()
        return result

    async def _drain(self):
        """Reads iopub until it has been quiet for `linger` seconds."""
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=self.linger))
            except Empty:
                return
            self._route_late(msg)


def first_error(nb):
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return f"cell {i}: {out.get('ename')}: {out.get('evalue')}"
    return None


def run_one(path, out_dir, timeout, linger):
    nb = nbformat.read(path, as_version=4)
    client = LateOutputClient(
        nb,
        timeout=timeout,
        kernel_name="deno",
        # no per-cell timestamps: `deno task notebooks --write` commits these files
        record_timing=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    client.linger = linger
    started = time.monotonic()
    report = {"notebook": path, "ok": True}
    try:
        client.execute()
    except CellExecutionError as e:
        report["ok"] = False
        report["error"] = str(e).strip().splitlines()[-1][:500]
    except Exception as e:  # kernel died, timeout, ...: reported, never hidden
        report["ok"] = False
        report["error"] = f"{type(e).__name__}: {e}"[:500]
    error = first_error(nb)
    if error and report["ok"]:
        report["ok"] = False
        report["error"] = error
    report["cells"] = sum(1 for c in nb.cells if c.cell_type == "code")
    report["outputs"] = sum(len(c.get("outputs", [])) for c in nb.cells if c.cell_type == "code")
    report["late_outputs"] = getattr(client, "late_outputs", 0)
    report["seconds"] = round(time.monotonic() - started, 2)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        nbformat.write(nb, os.path.join(out_dir, os.path.basename(path)))
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--out", default=None, help="folder for the executed notebooks")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    parser.add_argument("--linger", type=float, default=1.0, help="final iopub quiet time (s)")
    args = parser.parse_args()
    failed = 0
    for path in args.notebooks:
        report = run_one(path, args.out, args.timeout, args.linger)
        failed += 0 if report["ok"] else 1
        print(json.dumps(report), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
    main()
