//! BPMN read from strangers: what is not a BPMN file, or hides an entity
//! bomb in a DTD, fails with a clear error and never panics or hangs.

use atelier_interop::bpmn::import;
use atelier_interop::ImportError;

const HEAD: &str =
    r#"<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">"#;

fn fails(xml: &str) -> String {
    match import(xml, "x") {
        Err(e) => e.to_string(),
        Ok(w) => panic!("imported: {:?}", w.bundle.workflow),
    }
}

#[test]
fn what_is_not_bpmn_is_refused_clearly() {
    assert!(matches!(import("<a><b></a>", "x"), Err(ImportError::Syntax { line: 1, .. })));
    assert!(fails("<definitions/>").contains("not a BPMN 2.0 file"));
    assert!(fails(&format!("{HEAD}</bpmn:definitions>")).contains("no process"));
    let bomb = r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>"#;
    assert!(matches!(import(bomb, "x"), Err(ImportError::Syntax { .. })), "a DTD is not read at all");
    let lanes = format!(
        r#"{HEAD}<bpmn:process id="p"><bpmn:laneSet id="ls"><bpmn:lane id="l1" name="Sales"/></bpmn:laneSet></bpmn:process></bpmn:definitions>"#
    );
    assert!(fails(&lanes).contains("laneSet ls: a lane; Atelier cannot represent it"), "{}", fails(&lanes));
}

#[test]
fn a_small_process_reads_with_triggers_waits_and_routes() {
    let xml = format!(
        r#"{HEAD}<bpmn:process id="p" name="Nightly"><bpmn:startEvent id="s"><bpmn:timerEventDefinition><bpmn:timeCycle>0 0 2 * * *</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
        <bpmn:intermediateCatchEvent id="w" name="Pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H30M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:task id="t" name="Tidy up"/><bpmn:endEvent id="e"/><bpmn:endEvent id="f" name="Failed"/>
        <bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
        <bpmn:sequenceFlow id="1" sourceRef="s" targetRef="w"/><bpmn:sequenceFlow id="2" sourceRef="w" targetRef="t"/>
        <bpmn:sequenceFlow id="3" sourceRef="t" targetRef="e"/><bpmn:sequenceFlow id="4" sourceRef="b" targetRef="f"/></bpmn:process></bpmn:definitions>"#
    );
    let w = import(&xml, "x").unwrap().bundle.workflow;
    let text = serde_json::to_string(&w).unwrap();
    assert!(text.contains(r#""cron":"0 2 * * *""#), "{text}");
    assert!(text.contains(r#""duration_ms":5400000"#), "{text}");
    assert!(text.contains(r#""on_error":{"policy":"route","to":"failed"}"#), "{text}");
    assert_eq!(w.start.as_str(), "pause");
}
