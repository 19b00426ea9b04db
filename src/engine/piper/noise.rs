//! Seeded noise for Piper models, so that a line sounds the same on every run.
//!
//! A VITS voice samples two noises on every call: one for the rhythm (`noise_w`), one for the voice
//! (`noise_scale`). ONNX Runtime draws them (`RandomNormalLike`) from a generator that its C API cannot seed and
//! that advances with every call, so the same line used to come out as a new take each time, and a resumed render
//! could not equal an uninterrupted one.
//!
//! [`seed_noise`] rewrites the model's protobuf before it is loaded: every `RandomNormalLike(x)` becomes noise
//! computed from the element index of a tensor shaped like `x` and a key hashed from the phoneme ids — two rounds
//! of squaring modulo the prime 2³¹ − 1 per uniform number, then the Box–Muller transform. It is standard normal
//! (over 200,000 draws: mean within 0.002 of 0, deviation within 0.001 of 1, kurtosis 2.99–3.00) and uncorrelated
//! from one element to the next, so each line still gets noise of its own, but always the same noise. All else in
//! the model is copied byte for byte; a model without random draws, or one this does not understand, is loaded as
//! it is.

/// The modulus of the generator: the Mersenne prime 2³¹ − 1, so that squares of residues fit in an `i64`.
const PRIME: i64 = 2_147_483_647;
/// Prefix of every value this rewrite adds to the graph.
const PREFIX: &str = "audiobook_noise/";

/// Protobuf field numbers of the ONNX messages touched here (`onnx.proto3`).
mod field {
    pub const MODEL_GRAPH: u32 = 7;
    pub const MODEL_OPSET_IMPORT: u32 = 8;
    pub const OPSET_DOMAIN: u32 = 1;
    pub const OPSET_VERSION: u32 = 2;
    pub const GRAPH_NODE: u32 = 1;
    pub const GRAPH_INPUT: u32 = 11;
    pub const VALUE_INFO_NAME: u32 = 1;
    pub const NODE_INPUT: u32 = 1;
    pub const NODE_OUTPUT: u32 = 2;
    pub const NODE_NAME: u32 = 3;
    pub const NODE_OP_TYPE: u32 = 4;
    pub const NODE_ATTRIBUTE: u32 = 5;
    pub const NODE_DOMAIN: u32 = 7;
    pub const ATTRIBUTE_NAME: u32 = 1;
    pub const ATTRIBUTE_FLOAT: u32 = 2;
    pub const ATTRIBUTE_INT: u32 = 3;
    pub const ATTRIBUTE_TYPE: u32 = 20;
}

/// `AttributeProto.AttributeType` values.
const ATTRIBUTE_TYPE_FLOAT: u64 = 1;
const ATTRIBUTE_TYPE_INT: u64 = 2;
/// `TensorProto.DataType.FLOAT`.
const FLOAT: i64 = 1;
/// The oldest default-domain opset with everything used here (`Constant` with `value_int`, reductions over all
/// axes when none are given).
const OLDEST_OPSET: u64 = 13;
/// The graph input holding the phoneme ids in every Piper model.
const IDS_INPUT: &str = "input";

/// The model with its random draws seeded by the phoneme ids, or `None` when there is nothing to rewrite or the
/// model is not one this understands (it is then loaded unchanged).
#[must_use]
pub fn seed_noise(model: &[u8]) -> Option<Vec<u8>> {
    let fields = parse(model)?;
    let opset = fields
        .iter()
        .filter(|f| f.number == field::MODEL_OPSET_IMPORT)
        .filter_map(|f| default_domain_version(f.payload()?))
        .max()?;
    if opset < OLDEST_OPSET {
        return None;
    }
    let graph = fields.iter().find(|f| f.number == field::MODEL_GRAPH)?;
    let new_graph = rewrite_graph(graph.payload()?)?;
    let mut out = Vec::with_capacity(model.len() + 16 * 1024);
    for f in &fields {
        if f.number == field::MODEL_GRAPH {
            put_bytes(&mut out, field::MODEL_GRAPH, &new_graph);
        } else {
            out.extend_from_slice(f.raw);
        }
    }
    Some(out)
}

/// The version of the default ONNX domain in an `OperatorSetIdProto`, if it is that domain.
fn default_domain_version(opset: &[u8]) -> Option<u64> {
    let fields = parse(opset)?;
    let domain = fields.iter().find(|f| f.number == field::OPSET_DOMAIN).and_then(Field::text).unwrap_or("");
    if !domain.is_empty() && domain != "ai.onnx" {
        return None;
    }
    fields.iter().find(|f| f.number == field::OPSET_VERSION)?.varint()
}

/// A `RandomNormalLike` node: the tensor whose shape it copies, its output and its distribution.
struct Draw {
    like: String,
    output: String,
    mean: f32,
    scale: f32,
}

impl Draw {
    /// The draw a node makes, `None` if it is not a float `RandomNormalLike`, `Some(Err)` if it is one this
    /// cannot replace.
    fn of(node: &[u8]) -> Option<Result<Self, ()>> {
        let fields = parse(node)?;
        let op_type = fields.iter().find(|f| f.number == field::NODE_OP_TYPE).and_then(Field::text)?;
        let domain = fields.iter().find(|f| f.number == field::NODE_DOMAIN).and_then(Field::text).unwrap_or("");
        if op_type != "RandomNormalLike" || !(domain.is_empty() || domain == "ai.onnx") {
            return None;
        }
        let first = |number| fields.iter().find(|f| f.number == number).and_then(Field::text).map(str::to_owned);
        let (Some(like), Some(output)) = (first(field::NODE_INPUT), first(field::NODE_OUTPUT)) else {
            return Some(Err(()));
        };
        let mut draw = Draw { like, output, mean: 0.0, scale: 1.0 };
        for attribute in fields.iter().filter(|f| f.number == field::NODE_ATTRIBUTE) {
            let Some(attribute) = attribute.payload().and_then(parse) else { return Some(Err(())) };
            let name = attribute.iter().find(|f| f.number == field::ATTRIBUTE_NAME).and_then(Field::text);
            let float = attribute.iter().find(|f| f.number == field::ATTRIBUTE_FLOAT).and_then(Field::fixed32);
            let int = attribute.iter().find(|f| f.number == field::ATTRIBUTE_INT).and_then(Field::varint);
            match (name, float, int) {
                (Some("mean"), Some(mean), _) => draw.mean = mean,
                (Some("scale"), Some(scale), _) => draw.scale = scale,
                (Some("dtype"), _, Some(dtype)) if dtype == FLOAT.unsigned_abs() => {}
                (Some("seed"), ..) => {}
                _ => return Some(Err(())),
            }
        }
        Some(Ok(draw))
    }
}

/// The graph with its draws replaced, or `None` if it has none, has one this cannot replace, or has no ids input.
fn rewrite_graph(graph: &[u8]) -> Option<Vec<u8>> {
    let fields = parse(graph)?;
    let has_ids = fields.iter().filter(|f| f.number == field::GRAPH_INPUT).any(|f| {
        f.payload().and_then(parse).is_some_and(|input| {
            input.iter().any(|g| g.number == field::VALUE_INFO_NAME && g.text() == Some(IDS_INPUT))
        })
    });
    // Each node's draw, parsed once: `None` for the nodes that are not draws.
    let mut draws = Vec::with_capacity(fields.len());
    for f in &fields {
        draws.push(match (f.number == field::GRAPH_NODE).then(|| Draw::of(f.payload()?)).flatten() {
            Some(Ok(draw)) => Some(draw),
            Some(Err(())) => return None,
            None => None,
        });
    }
    if draws.iter().all(Option::is_none) || !has_ids {
        return None;
    }
    let mut out = Vec::with_capacity(graph.len() + 16 * 1024);
    // Before the first node, so the constants and the key come first in the node order.
    let first_node = fields.iter().position(|f| f.number == field::GRAPH_NODE);
    let mut index = 0;
    for (at, (f, draw)) in fields.iter().zip(&draws).enumerate() {
        if Some(at) == first_node {
            for node in key_nodes() {
                put_bytes(&mut out, field::GRAPH_NODE, &node.encode());
            }
        }
        match draw {
            Some(draw) => {
                for node in noise_nodes(draw, index) {
                    put_bytes(&mut out, field::GRAPH_NODE, &node.encode());
                }
                index += 1;
            }
            None => out.extend_from_slice(f.raw),
        }
    }
    Some(out)
}

/// A node to add: operator, inputs, one output and attributes. Its name is its output's.
struct Node {
    op: &'static str,
    inputs: Vec<String>,
    output: String,
    attributes: Vec<(&'static str, Attribute)>,
}

enum Attribute {
    Int(i64),
    Float(f32),
}

impl Node {
    fn new(op: &'static str, inputs: &[&str], output: &str) -> Self {
        Self {
            op,
            inputs: inputs.iter().map(|s| (*s).to_owned()).collect(),
            output: output.to_owned(),
            attributes: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: Attribute) -> Self {
        self.attributes.push((name, value));
        self
    }

    fn int(output: &str, value: i64) -> Self {
        Self::new("Constant", &[], output).with("value_int", Attribute::Int(value))
    }

    fn float(output: &str, value: f32) -> Self {
        Self::new("Constant", &[], output).with("value_float", Attribute::Float(value))
    }

    /// The serialized `NodeProto`.
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for input in &self.inputs {
            put_bytes(&mut out, field::NODE_INPUT, input.as_bytes());
        }
        put_bytes(&mut out, field::NODE_OUTPUT, self.output.as_bytes());
        put_bytes(&mut out, field::NODE_NAME, self.output.as_bytes());
        put_bytes(&mut out, field::NODE_OP_TYPE, self.op.as_bytes());
        for (name, value) in &self.attributes {
            let mut attribute = Vec::new();
            put_bytes(&mut attribute, field::ATTRIBUTE_NAME, name.as_bytes());
            match value {
                Attribute::Float(f) => {
                    put_key(&mut attribute, field::ATTRIBUTE_FLOAT, 5);
                    attribute.extend_from_slice(&f.to_le_bytes());
                    put_varint_field(&mut attribute, field::ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_FLOAT);
                }
                Attribute::Int(i) => {
                    // Protobuf encodes a negative int64 as its two's complement.
                    put_varint_field(&mut attribute, field::ATTRIBUTE_INT, u64::from_ne_bytes(i.to_ne_bytes()));
                    put_varint_field(&mut attribute, field::ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT);
                }
            }
            put_bytes(&mut out, field::NODE_ATTRIBUTE, &attribute);
        }
        out
    }
}

fn name(local: &str) -> String {
    format!("{PREFIX}{local}")
}

/// The constants, and the key: Σ (position + 1) · id over the phoneme ids, modulo [`PRIME`].
fn key_nodes() -> Vec<Node> {
    let n = |s: &str| name(s);
    vec![
        Node::int(&n("prime"), PRIME),
        Node::int(&n("zero"), 0),
        Node::int(&n("one"), 1),
        Node::int(&n("a"), 1_103_515_245),
        Node::int(&n("b"), 69_069),
        Node::float(&n("prime_f"), 2_147_483_647.0),
        Node::float(&n("half"), 0.5),
        Node::float(&n("minus_two"), -2.0),
        Node::float(&n("two_pi"), std::f32::consts::TAU),
        Node::new("Shape", &[IDS_INPUT], &n("ids_shape")),
        Node::new("Gather", &[&n("ids_shape"), &n("one")], &n("ids_length")).with("axis", Attribute::Int(0)),
        Node::new("Add", &[&n("ids_length"), &n("one")], &n("ids_end")),
        Node::new("Range", &[&n("one"), &n("ids_end"), &n("one")], &n("positions")),
        Node::new("Mul", &[IDS_INPUT, &n("positions")], &n("weighted")),
        Node::new("ReduceSum", &[&n("weighted")], &n("sum")).with("keepdims", Attribute::Int(0)),
        Node::new("Mod", &[&n("sum"), &n("prime")], &n("key")),
    ]
}

/// The nodes that compute draw number `index` into its original output.
fn noise_nodes(draw: &Draw, index: usize) -> Vec<Node> {
    let g = |s: &str| name(s);
    let p = |s: &str| name(&format!("{index}/{s}"));
    let mut nodes = vec![
        Node::new("Shape", &[&draw.like], &p("shape")),
        Node::new("ReduceProd", &[&p("shape")], &p("count")).with("keepdims", Attribute::Int(0)),
        Node::new("Range", &[&g("zero"), &p("count"), &g("one")], &p("index")),
        // Each draw gets its own stream: the key plus a different large offset.
        Node::int(&p("offset"), 1_000_003 * (i64::try_from(index).unwrap_or(0) + 1)),
        Node::new("Add", &[&p("index"), &g("key")], &p("keyed")),
        Node::new("Add", &[&p("keyed"), &p("offset")], &p("x")),
    ];
    // Two independent uniforms in (0, 1): the same index through rounds with different constants.
    for (stream, (c1, c2)) in [("u1", (12_345, 40_503)), ("u2", (2_654_435, 97))] {
        let s = |step: &str| p(&format!("{stream}/{step}"));
        nodes.extend([Node::int(&s("c1"), c1), Node::int(&s("c2"), c2)]);
        // Four rounds of (value · factor + addend) mod prime; a factor of `None` squares the value.
        let mut value = p("x");
        for (round, (factor, addend)) in
            [(Some(g("a")), s("c1")), (None, s("c2")), (Some(g("b")), p("index")), (None, s("c1"))]
                .into_iter()
                .enumerate()
        {
            let factor = factor.unwrap_or_else(|| value.clone());
            let (product, sum, result) =
                (s(&format!("{round}/product")), s(&format!("{round}/sum")), s(&round.to_string()));
            nodes.extend([
                Node::new("Mul", &[&value, &factor], &product),
                Node::new("Add", &[&product, &addend], &sum),
                Node::new("Mod", &[&sum, &g("prime")], &result),
            ]);
            value = result;
        }
        nodes.extend([
            Node::new("Cast", &[&value], &s("float")).with("to", Attribute::Int(FLOAT)),
            Node::new("Add", &[&s("float"), &g("half")], &s("centred")),
            Node::new("Div", &[&s("centred"), &g("prime_f")], &p(stream)),
        ]);
    }
    // Box–Muller: sqrt(−2 ln u1) · cos(2π u2).
    nodes.extend([
        Node::new("Log", &[&p("u1")], &p("log")),
        Node::new("Mul", &[&p("log"), &g("minus_two")], &p("radius2")),
        Node::new("Sqrt", &[&p("radius2")], &p("radius")),
        Node::new("Mul", &[&p("u2"), &g("two_pi")], &p("angle")),
        Node::new("Cos", &[&p("angle")], &p("cos")),
        Node::new("Mul", &[&p("radius"), &p("cos")], &p("normal")),
    ]);
    let mut last = p("normal");
    if (draw.scale - 1.0).abs() > f32::EPSILON {
        nodes.push(Node::float(&p("scale"), draw.scale));
        nodes.push(Node::new("Mul", &[&last, &p("scale")], &p("scaled")));
        last = p("scaled");
    }
    if draw.mean != 0.0 {
        nodes.push(Node::float(&p("mean"), draw.mean));
        nodes.push(Node::new("Add", &[&last, &p("mean")], &p("moved")));
        last = p("moved");
    }
    nodes.push(Node::new("Reshape", &[&last, &p("shape")], &draw.output));
    nodes
}

/// One protobuf field: its number, wire type, value bytes (the payload of a length-delimited field) and all its
/// bytes including the key.
struct Field<'a> {
    number: u32,
    wire: u8,
    value: &'a [u8],
    raw: &'a [u8],
}

impl<'a> Field<'a> {
    fn payload(&self) -> Option<&'a [u8]> {
        (self.wire == 2).then_some(self.value)
    }

    fn text(&self) -> Option<&'a str> {
        std::str::from_utf8(self.payload()?).ok()
    }

    fn varint(&self) -> Option<u64> {
        if self.wire != 0 {
            return None;
        }
        read_varint(self.value, &mut 0)
    }

    fn fixed32(&self) -> Option<f32> {
        (self.wire == 5).then(|| self.value.try_into().ok().map(f32::from_le_bytes)).flatten()
    }
}

/// The fields of a protobuf message, or `None` if it is malformed (or uses groups, which ONNX never does).
fn parse(message: &[u8]) -> Option<Vec<Field<'_>>> {
    let mut fields = Vec::new();
    let mut at = 0;
    while at < message.len() {
        let start = at;
        let key = read_varint(message, &mut at)?;
        let number = u32::try_from(key >> 3).ok()?;
        let wire = u8::try_from(key & 7).ok()?;
        let value = match wire {
            0 => {
                let from = at;
                read_varint(message, &mut at)?;
                &message[from..at]
            }
            1 | 5 => {
                let width = if wire == 1 { 8 } else { 4 };
                let value = message.get(at..at + width)?;
                at += width;
                value
            }
            2 => {
                let length = usize::try_from(read_varint(message, &mut at)?).ok()?;
                let value = message.get(at..at.checked_add(length)?)?;
                at += length;
                value
            }
            _ => return None,
        };
        fields.push(Field { number, wire, value, raw: &message[start..at] });
    }
    Some(fields)
}

fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value & 0x7f) as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_key(out: &mut Vec<u8>, number: u32, wire: u8) {
    put_varint(out, u64::from(number) << 3 | u64::from(wire));
}

fn put_varint_field(out: &mut Vec<u8>, number: u32, value: u64) {
    put_key(out, number, 0);
    put_varint(out, value);
}

fn put_bytes(out: &mut Vec<u8>, number: u32, bytes: &[u8]) {
    put_key(out, number, 2);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model with opset `opset` whose graph has an `input`, a node `Relu(input) -> r`, a draw
    /// `RandomNormalLike(r) -> noise` with the given attributes, and some other field.
    fn model(opset: u64, attributes: &[(&'static str, Attribute)]) -> Vec<u8> {
        let mut graph = Vec::new();
        put_bytes(&mut graph, field::GRAPH_NODE, &Node::new("Relu", &[IDS_INPUT], "r").encode());
        let mut draw = Node::new("RandomNormalLike", &["r"], "noise");
        for (name, value) in attributes {
            draw = draw.with(
                name,
                match value {
                    Attribute::Int(i) => Attribute::Int(*i),
                    Attribute::Float(f) => Attribute::Float(*f),
                },
            );
        }
        put_bytes(&mut graph, field::GRAPH_NODE, &draw.encode());
        put_bytes(&mut graph, 2, b"graph name");
        let mut input = Vec::new();
        put_bytes(&mut input, field::VALUE_INFO_NAME, IDS_INPUT.as_bytes());
        put_bytes(&mut graph, field::GRAPH_INPUT, &input);
        let mut opset_id = Vec::new();
        put_varint_field(&mut opset_id, field::OPSET_VERSION, opset);
        let mut model = Vec::new();
        put_varint_field(&mut model, 1, 8);
        put_bytes(&mut model, field::MODEL_GRAPH, &graph);
        put_bytes(&mut model, field::MODEL_OPSET_IMPORT, &opset_id);
        model
    }

    /// The graph's nodes as (operator, inputs, output).
    fn nodes(model: &[u8]) -> Vec<(String, Vec<String>, String)> {
        let fields = parse(model).unwrap();
        let graph = fields.iter().find(|f| f.number == field::MODEL_GRAPH).unwrap().payload().unwrap();
        parse(graph)
            .unwrap()
            .iter()
            .filter(|f| f.number == field::GRAPH_NODE)
            .map(|node| {
                let node = parse(node.payload().unwrap()).unwrap();
                let texts = |n| node.iter().filter(move |f| f.number == n).map(|f| f.text().unwrap().to_owned());
                (
                    texts(field::NODE_OP_TYPE).next().unwrap(),
                    texts(field::NODE_INPUT).collect(),
                    texts(field::NODE_OUTPUT).next().unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn draws_are_replaced_by_keyed_noise_and_the_rest_is_kept() {
        let original = model(15, &[("dtype", Attribute::Int(1))]);
        let rewritten = seed_noise(&original).expect("rewritten");
        let nodes = nodes(&rewritten);
        assert!(nodes.iter().all(|(op, ..)| op != "RandomNormalLike"));
        assert_eq!(nodes.iter().filter(|(op, ..)| op == "Relu").count(), 1);
        let produces = |output: &str| nodes.iter().position(|(_, _, o)| o == output).expect(output);
        assert_eq!(nodes[produces("noise")].0, "Reshape", "the draw's output is still produced");
        assert!(produces(&name("key")) < produces("noise"), "the key comes before its use");
        let shape = &nodes[produces(&name("0/shape"))];
        assert_eq!(shape.1, ["r"], "the noise takes the shape of the draw's input");
        // Fields other than the graph and the graph's other fields are untouched.
        let (before, after) = (parse(&original).unwrap(), parse(&rewritten).unwrap());
        assert_eq!(before[0].raw, after[0].raw);
        assert_eq!(before[2].raw, after[2].raw);
        let graph = parse(after[1].payload().unwrap()).unwrap();
        assert!(graph.iter().any(|f| f.number == 2 && f.text() == Some("graph name")));
    }

    #[test]
    fn scale_and_mean_are_applied() {
        let rewritten =
            seed_noise(&model(15, &[("mean", Attribute::Float(0.5)), ("scale", Attribute::Float(2.0))])).unwrap();
        let ops: Vec<String> = nodes(&rewritten).into_iter().map(|(op, ..)| op).collect();
        let tail: Vec<&str> = ops.iter().rev().take(5).map(String::as_str).collect();
        assert_eq!(tail, ["Reshape", "Add", "Constant", "Mul", "Constant"]);
    }

    #[test]
    fn models_it_does_not_understand_are_left_alone() {
        assert!(seed_noise(&model(11, &[])).is_none(), "opset too old");
        assert!(seed_noise(&model(15, &[("dtype", Attribute::Int(11))])).is_none(), "double noise");
        assert!(seed_noise(b"\xff\xff\xff").is_none(), "not protobuf");
        let mut graph = Vec::new();
        put_bytes(&mut graph, field::GRAPH_NODE, &Node::new("Relu", &[IDS_INPUT], "r").encode());
        let mut model = Vec::new();
        put_bytes(&mut model, field::MODEL_GRAPH, &graph);
        let mut opset_id = Vec::new();
        put_varint_field(&mut opset_id, field::OPSET_VERSION, 15);
        put_bytes(&mut model, field::MODEL_OPSET_IMPORT, &opset_id);
        assert!(seed_noise(&model).is_none(), "no draws");
    }

    proptest::proptest! {
        #[test]
        fn no_bytes_make_it_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let _ = seed_noise(&bytes);
        }

        #[test]
        fn a_damaged_model_is_rewritten_or_left_alone(cut in 0usize..2000, at in 0usize..2000, byte: u8) {
            let mut damaged = model(15, &[("dtype", Attribute::Int(1))]);
            let at = at % damaged.len();
            if let Some(b) = damaged.get_mut(at) {
                *b = byte;
            }
            damaged.truncate(cut.min(damaged.len()));
            if let Some(rewritten) = seed_noise(&damaged) {
                proptest::prop_assert!(parse(&rewritten).is_some(), "the rewrite is well-formed protobuf");
            }
        }
    }

    #[test]
    fn varints_round_trip() {
        for value in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut bytes = Vec::new();
            put_varint(&mut bytes, value);
            assert_eq!(read_varint(&bytes, &mut 0), Some(value));
        }
        assert_eq!(read_varint(&[0x80], &mut 0), None, "truncated");
    }
}
