use harness::{Function, FunctionConfig};
fn main() {
    let f = Function::new(FunctionConfig::new("/tmp/h1", "app.handler")).unwrap();
    for _ in 0..2 {
        let inv = f.invoke(&serde_json::json!({"a": 1}));
        println!("{:?}\n{}", inv.result(), inv.logs.join("\n"));
    }
    let g = Function::new(FunctionConfig::new("/tmp/h1", "app.boom")).unwrap();
    let inv = g.invoke(&serde_json::json!({}));
    println!("{}\n{}", inv.error().unwrap().payload, inv.logs.join("\n"));
    let t = std::time::Instant::now();
    for _ in 0..1000 { f.invoke(&serde_json::json!({})); }
    println!("warm avg {:?}", t.elapsed() / 1000);
}
