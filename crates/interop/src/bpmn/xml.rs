//! The BPMN 2.0 XML of a [`Diagram`]: the process, then its diagram
//! (BPMNDI shapes and edges), in the form Camunda Modeler writes.

use std::fmt::Write;

use super::{Diagram, Shape};

/// Text safe in an attribute value.
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text safe between tags.
pub fn text(s: &str) -> String {
    attr(s).replace("&quot;", "\"").replace("&#10;", "\n")
}

pub(super) fn write(d: &Diagram, process: &str, name: &str, description: &str, version: &str) -> String {
    let mut x = String::new();
    let _ = writeln!(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    let _ = writeln!(
        x,
        "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" xmlns:bpmndi=\"http://www.omg.org/spec/BPMN/20100524/DI\" \
xmlns:dc=\"http://www.omg.org/spec/DD/20100524/DC\" xmlns:di=\"http://www.omg.org/spec/DD/20100524/DI\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:zeebe=\"http://camunda.org/schema/zeebe/1.0\" \
xmlns:modeler=\"http://camunda.org/schema/modeler/1.0\" id=\"Definitions_{process}\" targetNamespace=\"http://bpmn.io/schema/bpmn\" \
exporter=\"Atelier\" exporterVersion=\"{}\" modeler:executionPlatform=\"Camunda Cloud\" modeler:executionPlatformVersion=\"{}.0\">",
        env!("CARGO_PKG_VERSION"),
        attr(version)
    );
    let _ = writeln!(x, "  <bpmn:process id=\"{process}\" name=\"{}\" isExecutable=\"true\">", attr(name));
    if !description.is_empty() {
        let _ = writeln!(x, "    <bpmn:documentation>{}</bpmn:documentation>", text(description));
    }
    for s in &d.shapes {
        element(&mut x, d, s);
    }
    for f in &d.flows {
        let name = if f.name.is_empty() { String::new() } else { format!(" name=\"{}\"", attr(&f.name)) };
        match &f.condition {
            Some(c) => {
                let _ = writeln!(x, "    <bpmn:sequenceFlow id=\"{}\"{name} sourceRef=\"{}\" targetRef=\"{}\">", f.id, f.from, f.to);
                let _ = writeln!(
                    x,
                    "      <bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\">{}</bpmn:conditionExpression>",
                    text(c)
                );
                let _ = writeln!(x, "    </bpmn:sequenceFlow>");
            }
            None => {
                let _ = writeln!(x, "    <bpmn:sequenceFlow id=\"{}\"{name} sourceRef=\"{}\" targetRef=\"{}\" />", f.id, f.from, f.to);
            }
        }
    }
    let _ = writeln!(x, "  </bpmn:process>");
    for (id, name) in &d.messages {
        let _ = writeln!(x, "  <bpmn:message id=\"{id}\" name=\"{}\" />", attr(name));
    }
    let _ = writeln!(x, "  <bpmndi:BPMNDiagram id=\"Diagram_{process}\">");
    let _ = writeln!(x, "    <bpmndi:BPMNPlane id=\"Plane_{process}\" bpmnElement=\"{process}\">");
    for s in &d.shapes {
        let (bx, by, w, h) = s.bounds;
        let marker = if s.tag == "exclusiveGateway" { " isMarkerVisible=\"true\"" } else { "" };
        let _ = writeln!(x, "      <bpmndi:BPMNShape id=\"{}_di\" bpmnElement=\"{}\"{marker}>", s.id, s.id);
        let _ = writeln!(x, "        <dc:Bounds x=\"{bx}\" y=\"{by}\" width=\"{w}\" height=\"{h}\" />");
        let _ = writeln!(x, "      </bpmndi:BPMNShape>");
    }
    for f in &d.flows {
        let (Some(a), Some(b)) = (d.shapes.iter().find(|s| s.id == f.from), d.shapes.iter().find(|s| s.id == f.to)) else { continue };
        let _ = writeln!(x, "      <bpmndi:BPMNEdge id=\"{}_di\" bpmnElement=\"{}\">", f.id, f.id);
        for (px, py) in waypoints(a, b) {
            let _ = writeln!(x, "        <di:waypoint x=\"{px}\" y=\"{py}\" />");
        }
        let _ = writeln!(x, "      </bpmndi:BPMNEdge>");
    }
    let _ = writeln!(x, "    </bpmndi:BPMNPlane>");
    let _ = writeln!(x, "  </bpmndi:BPMNDiagram>");
    let _ = writeln!(x, "</bpmn:definitions>");
    x
}

fn element(x: &mut String, d: &Diagram, s: &Shape) {
    let mut attrs = format!(" id=\"{}\"", s.id);
    if !s.name.is_empty() {
        let _ = write!(attrs, " name=\"{}\"", attr(&s.name));
    }
    if let Some(host) = &s.attached_to {
        let _ = write!(attrs, " attachedToRef=\"{host}\"");
    }
    for (k, v) in &s.attrs {
        let _ = write!(attrs, " {k}=\"{}\"", attr(v));
    }
    if let Some(f) = d.flows.iter().find(|f| f.from == s.id && f.is_default) {
        let _ = write!(attrs, " default=\"{}\"", f.id);
    }
    let _ = writeln!(x, "    <bpmn:{}{attrs}>", s.tag);
    if !s.extensions.is_empty() {
        let _ = writeln!(x, "      <bpmn:extensionElements>{}</bpmn:extensionElements>", s.extensions);
    }
    for f in d.flows.iter().filter(|f| f.to == s.id) {
        let _ = writeln!(x, "      <bpmn:incoming>{}</bpmn:incoming>", f.id);
    }
    for f in d.flows.iter().filter(|f| f.from == s.id) {
        let _ = writeln!(x, "      <bpmn:outgoing>{}</bpmn:outgoing>", f.id);
    }
    if !s.tail.is_empty() {
        let _ = writeln!(x, "      {}", s.tail);
    }
    let _ = writeln!(x, "    </bpmn:{}>", s.tag);
}

/// From the bottom of `a` to the top of `b` when `b` is below; otherwise
/// round the right-hand side, so a loop back does not cross the shapes.
fn waypoints(a: &Shape, b: &Shape) -> Vec<(i32, i32)> {
    let (ax, ay, aw, ah) = a.bounds;
    let (bx, by, bw, bh) = b.bounds;
    let (acx, bcx) = (ax + aw / 2, bx + bw / 2);
    if by >= ay + ah {
        let (from, to) = ((acx, ay + ah), (bcx, by));
        if acx == bcx {
            vec![from, to]
        } else {
            let mid = (ay + ah + by) / 2;
            vec![from, (acx, mid), (bcx, mid), to]
        }
    } else {
        let side = (ax + aw).max(bx + bw) + 30;
        vec![(ax + aw, ay + ah / 2), (side, ay + ah / 2), (side, by + bh / 2), (bx + bw, by + bh / 2)]
    }
}
