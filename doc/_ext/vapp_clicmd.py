# SPDX-License-Identifier: GPL-2.0-or-later
"""The ``clicmd`` directive of the vappliance docs: one CLI command, its
syntax as the term, its description as the body, and an index entry (the
docs use the directive name FRR's own documentation uses, so the text reads
the same to FRR users; this is our own small implementation)."""
from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx import addnodes


class CliCmd(Directive):
    has_content = True
    required_arguments = 1
    final_argument_whitespace = True

    def run(self):
        syntax = self.arguments[0]
        env = self.state.document.settings.env
        target_id = "clicmd-%d" % env.new_serialno("clicmd")
        target = nodes.target("", "", ids=[target_id])
        index = addnodes.index(entries=[("single", syntax, target_id, "", None)])
        term = nodes.term("", "")
        term += nodes.literal(syntax, syntax)
        body = nodes.definition()
        self.state.nested_parse(self.content, self.content_offset, body)
        item = nodes.definition_list_item("", term, body)
        return [index, target, nodes.definition_list("", item)]


def setup(app):
    app.add_directive("clicmd", CliCmd)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
