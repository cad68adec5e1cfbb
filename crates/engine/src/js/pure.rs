//! Whether a step's top-level code can do anything when it runs: code made
//! only of function declarations (and directives) creates functions and
//! nothing else, so it cannot have touched the global scope, and the check
//! for new globals after it may be skipped. Most steps are just `function
//! run(input) {...}`.

use boa_engine::ast::declaration::Declaration;
use boa_engine::ast::expression::literal::LiteralKind;
use boa_engine::ast::expression::Expression;
use boa_engine::ast::scope::Scope;
use boa_engine::ast::statement::Statement;
use boa_engine::ast::StatementListItem;
use boa_engine::parser::Parser;
use boa_engine::{Context, JsResult, Source};

/// Parses `code` as a script (its syntax error is the script's) and says
/// whether its top level only declares functions. Parsed in a scope of its
/// own: parsed in the realm's, its top-level `let` names would be taken for
/// global bindings by every step compiled after it.
pub(super) fn declares_only_functions(code: &str, ctx: &mut Context) -> JsResult<bool> {
    let scope = Scope::new_global();
    let script = Parser::new(Source::from_bytes(code)).parse_script(&scope, ctx.interner_mut())?;
    Ok(script.statements().statements().iter().all(|item| match item {
        StatementListItem::Declaration(d) => matches!(
            **d,
            Declaration::FunctionDeclaration(_)
                | Declaration::GeneratorDeclaration(_)
                | Declaration::AsyncFunctionDeclaration(_)
                | Declaration::AsyncGeneratorDeclaration(_)
        ),
        StatementListItem::Statement(s) => match &**s {
            Statement::Empty => true,
            // A directive such as "use strict".
            Statement::Expression(Expression::Literal(l)) => matches!(l.kind(), LiteralKind::String(_)),
            _ => false,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_function_declarations_are_taken_for_doing_nothing() {
        let mut ctx = Context::default();
        for (code, pure) in [
            ("function run(input) { total = 1; return input; }", true),
            ("\"use strict\";\nfunction run(i) { return i; }\nfunction* g() {}\nasync function a() {}\n;", true),
            ("let n = 0;\nfunction run(i) { return i; }", false),
            ("var n;\nfunction run(i) { return i; }", false),
            ("total = 0;\nfunction run(i) { return i; }", false),
            ("class A { static { globalThis.x = 1; } }\nfunction run(i) { return i; }", false),
            ("function run(i) { return i; }\nrun(1);", false),
            ("(function () { this.x = 1; })();\nfunction run(i) { return i; }", false),
        ] {
            assert_eq!(declares_only_functions(code, &mut ctx).unwrap(), pure, "{code}");
        }
        assert!(declares_only_functions("function run( {", &mut ctx).is_err(), "a syntax error is the script's");
    }
}
