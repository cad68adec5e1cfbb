//! Loading and validating a generated project, against reading the same files'
//! bytes in the same run (the baseline a noisy machine cannot skew).

use std::collections::BTreeMap;
use std::fs;

use atelier_model::layout::{Layout, Position};
use atelier_model::project::WorkflowBundle;
use atelier_model::source::Source;
use atelier_model::workflow::{ApiCallStep, CodeStep, EndStep, HttpMethod, Step, Workflow};
use atelier_model::{validate, Id, Manifest, Project};
use atelier_store::ProjectDir;
use criterion::{criterion_group, criterion_main, Criterion};

const WORKFLOWS: usize = 200;
const STEPS: usize = 20;

fn generated() -> Project {
    let mut p = Project::new(Manifest::new("Bench"));
    let backend = Id::new("backend").unwrap();
    p.sources.insert(
        backend.clone(),
        Source {
            schema: None,
            name: "Backend".into(),
            description: String::new(),
            base_url: "https://backend.example.com".into(),
            auth: Default::default(),
            headers: BTreeMap::new(),
            timeout_ms: None,
            operations: Default::default(),
        },
    );
    for w in 0..WORKFLOWS {
        let ids: Vec<Id> = (0..STEPS).map(|i| Id::new(format!("step-{i:03}")).unwrap()).collect();
        let mut steps = BTreeMap::new();
        let mut scripts = BTreeMap::new();
        let mut nodes = BTreeMap::new();
        for (i, id) in ids.iter().enumerate() {
            let next = ids.get(i + 1).cloned();
            let step = match (&next, i % 2) {
                (None, _) => {
                    Step::End(EndStep { name: "End".into(), description: String::new(), status: Default::default(), output: None })
                }
                (Some(_), 0) => Step::ApiCall(ApiCallStep {
                    name: format!("Call {i}"),
                    description: String::new(),
                    source: backend.clone(),
                    method: HttpMethod::Get,
                    path: "/x".into(),
                    headers: BTreeMap::new(),
                    body: None,
                    save_as: None,
                    next,
                    on_error: None,
                    timeout_ms: None,
                }),
                (Some(_), _) => {
                    scripts.insert(id.clone(), "function run(input) {\n  return input;\n}\n".to_owned());
                    Step::DataTransform(CodeStep {
                        name: format!("Shape {i}"),
                        description: String::new(),
                        unfinished: None,
                        next,
                        on_error: None,
                        timeout_ms: None,
                    })
                }
            };
            steps.insert(id.clone(), step);
            nodes.insert(id.clone(), Position { x: 240 * i as i32, y: 0 });
        }
        let workflow = Workflow {
            schema: None,
            name: format!("Workflow {w}"),
            description: String::new(),
            triggers: vec![],
            start: ids[0].clone(),
            steps,
            on_error: None,
            timeout_ms: None,
        };
        let bundle = WorkflowBundle { workflow, layout: Layout { schema: None, nodes }, scripts, tests: BTreeMap::new() };
        p.workflows.insert(Id::new(format!("wf-{w:04}")).unwrap(), bundle);
    }
    p
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("atelier.json"), "{}").unwrap();
    let pd = ProjectDir::at(dir.path()).unwrap();
    pd.save(&generated(), &mut BTreeMap::new()).unwrap();
    let paths: Vec<_> = pd.read_files().unwrap().0.keys().map(|k| pd.root().join(k)).collect();

    let mut g = c.benchmark_group(format!("project_{WORKFLOWS}x{STEPS}"));
    g.sample_size(20);
    g.bench_function("baseline_read_bytes", |b| b.iter(|| paths.iter().map(|p| fs::read(p).unwrap().len()).sum::<usize>()));
    g.bench_function("load", |b| b.iter(|| pd.load().unwrap()));
    g.bench_function("load_and_validate", |b| b.iter(|| validate(&pd.load().unwrap())));
    let files = pd.read_files().unwrap().0;
    g.bench_function("assemble_in_memory", |b| b.iter(|| atelier_model::assemble(&files)));
    let project = atelier_model::assemble(&files).project;
    g.bench_function("canonical_files_in_memory", |b| b.iter(|| project.files()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
