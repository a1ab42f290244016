"""The API writes Chinese as Chinese: `ensure_ascii=False`, so an answer reads as it is
(`"name": "陈伟"`, not `"\\u9648\\u4f1f"`) and takes half the bytes. Every JSON answer,
ninja's and the few written by middleware, uses core's parameters."""

from ninja.renderers import JSONRenderer

from casspath.core.responses import JSON_DUMPS_PARAMS


class Utf8JSONRenderer(JSONRenderer):
    json_dumps_params = JSON_DUMPS_PARAMS
