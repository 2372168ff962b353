"""A browser tab as Streamlit's own protocol sees it: a websocket to ``/_stcore/stream``, ``BackMsg`` rerun
requests with widget states, ``ForwardMsg`` replies. The sessions bench and the fragment tests drive the
server with it, without a browser's cost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class Element:
    """One element a run drew: its kind (``metric``, ``slider``, ...), widget key, text and fragment."""

    kind: str
    key: str
    text: str
    fragment_id: str


@dataclass
class Run:
    seconds: float
    elements: list[Element] = field(default_factory=list)

    def kinds(self) -> set[str]:
        return {e.kind for e in self.elements}


class Session:
    """One browser tab, as Streamlit's protocol sees it."""

    def __init__(self, url: str, query: str, page: str = "Scenario"):
        self.url, self.query, self.page = url, query, page
        self.widgets: dict[str, str] = {}        # user key -> widget id
        self.fragments: dict[str, str] = {}      # user key -> id of the fragment the widget is in ("" if none)
        self.page_hash = ""
        self.npv = ""

    async def __aenter__(self) -> Session:
        port = self.url.rsplit(":", 1)[1]
        self.ws = await websockets.connect(self.url.replace("http", "ws") + "/_stcore/stream",
                                           subprotocols=["streamlit"], max_size=None,
                                           origin=f"http://127.0.0.1:{port}")
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()

    async def run(self, **moved: float) -> float:
        """Ask for a rerun (the first: the page itself) with ``moved`` sliders; seconds until it finished."""
        return (await self.rerun({key: ("double_array_value", [value]) for key, value in moved.items()})).seconds

    async def rerun(self, states: dict[str, tuple[str, object]], fragment_of: str | None = None) -> Run:
        """A rerun with widget ``states`` (key -> (WidgetState field, value)); ``fragment_of``: a widget key whose
        fragment alone reruns, as the browser asks when that widget is inside one."""
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_name = self.page
        msg.rerun_script.page_script_hash = self.page_hash
        if fragment_of is not None:
            msg.rerun_script.fragment_id = self.fragments[fragment_of]
        for key, (kind, value) in states.items():
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = self.widgets[key]
            target = getattr(state, kind)
            if isinstance(value, list):
                target.data.extend(value)
            else:
                setattr(state, kind, value)
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = Run(0.0)
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(await self.ws.recv())
            kind = reply.WhichOneof("type")
            if kind == "navigation":
                self.page_hash = reply.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = reply.page_info_changed.query_string      # the address the browser would now show
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                element = reply.delta.new_element
                inner = getattr(element, element.WhichOneof("type"))
                widget_id = getattr(inner, "id", "")
                key = widget_id.split("-", 2)[2] if isinstance(widget_id, str) and widget_id.startswith("$$ID-") else ""
                if key:
                    self.widgets[key] = widget_id
                    self.fragments[key] = reply.delta.fragment_id
                kind_of = element.WhichOneof("type")
                if kind_of == "metric" and element.metric.label.startswith("NPV"):
                    self.npv = element.metric.body
                text = getattr(inner, "spec", None) or getattr(inner, "label", None) or getattr(inner, "body", "")
                run.elements.append(Element(kind_of, key, text if isinstance(text, str) else "",
                                            reply.delta.fragment_id))
            elif kind == "delta" and reply.delta.WhichOneof("type") == "add_block":
                block = reply.delta.add_block
                if block.WhichOneof("type") == "expandable" and block.expandable.id.startswith("$$ID-"):
                    key = block.expandable.id.split("-", 2)[2]           # an expander that reruns when opened
                    self.widgets[key] = block.expandable.id
                    self.fragments[key] = reply.delta.fragment_id
                    run.elements.append(Element("expander", key, block.expandable.label, reply.delta.fragment_id))
            elif kind == "script_finished":
                run.seconds = time.perf_counter() - start
                return run


