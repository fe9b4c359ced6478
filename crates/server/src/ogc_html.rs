//! `f=html`: the OGC API's documents as minimal HTML pages, for a person
//! following links in a browser (OGC API – Features asks for an HTML
//! encoding where it can; docs/ogc.md). The page is built from the JSON
//! document the client would get. Every text in it, names and properties
//! that came from files and sources included, goes through [`esc`]; the
//! only links are the document's own (built from the checked `Host`, so
//! `http:`), never a URL found in the data, which stays text. No script
//! and no style: the page's Content-Security-Policy would refuse inline
//! ones anyway.

use serde_json::Value;
use std::fmt::Write;

/// Text as HTML text or an attribute value: the five characters that
/// could end either are replaced by references.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A JSON value as the text a cell shows.
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// A link of the document, to its HTML form: only the server's own
/// `http(s)` links are made anchors.
fn anchor(href: &str, title: &str) -> String {
    if !(href.starts_with("http://") || href.starts_with("https://")) {
        return esc(title);
    }
    let html = if href.contains("openapi.json") {
        // The API definition is JSON only.
        href.to_string()
    } else if href.contains("f=") {
        href.replace("f=json", "f=html")
    } else {
        format!("{href}{}f=html", if href.contains('?') { '&' } else { '?' })
    };
    format!("<a href=\"{}\">{}</a>", esc(&html), esc(title))
}

fn links(out: &mut String, doc: &Value) {
    let Some(links) = doc["links"].as_array().filter(|l| !l.is_empty()) else {
        return;
    };
    out.push_str("<ul>");
    for l in links {
        let title = format!("{} ({})", text(&l["title"]), text(&l["rel"]));
        let _ = write!(out, "<li>{}</li>", anchor(l["href"].as_str().unwrap_or(""), &title));
    }
    out.push_str("</ul>");
}

/// A table of rows of properties, with their names as heads.
fn table(out: &mut String, rows: &[(String, &serde_json::Map<String, Value>)]) {
    let mut heads: Vec<&String> = Vec::new();
    for (_, props) in rows {
        for k in props.keys() {
            if !heads.contains(&k) {
                heads.push(k);
            }
        }
    }
    out.push_str("<table><tr><th>id</th>");
    for h in &heads {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr>");
    for (id, props) in rows {
        let _ = write!(out, "<tr><td>{id}</td>");
        for h in &heads {
            let _ = write!(out, "<td>{}</td>", esc(&text(props.get(*h).unwrap_or(&Value::Null))));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
}

/// The HTML page of one of the OGC API's JSON documents.
pub(crate) fn render(doc: &Value) -> String {
    let title = doc["title"]
        .as_str()
        .or(doc["id"].as_str())
        .map(str::to_string)
        .unwrap_or_else(|| match doc["type"].as_str() {
            Some("FeatureCollection") => "Features".into(),
            Some("Feature") => format!("Feature {}", text(&doc["id"])),
            _ if doc.get("collections").is_some() => "Collections".into(),
            _ if doc.get("conformsTo").is_some() => "Conformance".into(),
            _ => "Frontline".into(),
        });
    let mut out = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title></head><body><h1>{}</h1>",
        esc(&title),
        esc(&title)
    );
    if let Some(d) = doc["description"].as_str() {
        let _ = write!(out, "<p>{}</p>", esc(d));
    }
    links(&mut out, doc);
    if let Some(classes) = doc["conformsTo"].as_array() {
        out.push_str("<ul>");
        for c in classes {
            let _ = write!(out, "<li>{}</li>", esc(&text(c)));
        }
        out.push_str("</ul>");
    }
    if let Some(all) = doc["collections"].as_array() {
        out.push_str("<table><tr><th>collection</th><th>description</th></tr>");
        for c in all {
            let href = c["links"][0]["href"].as_str().unwrap_or("");
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td></tr>",
                anchor(href, c["id"].as_str().unwrap_or("")),
                esc(&text(&c["description"]))
            );
        }
        out.push_str("</table>");
    }
    if let Some(features) = doc["features"].as_array() {
        let _ = write!(
            out,
            "<p>{} of {} features</p>",
            esc(&text(&doc["numberReturned"])),
            esc(&text(&doc["numberMatched"]))
        );
        let empty = serde_json::Map::new();
        let rows: Vec<(String, &serde_json::Map<String, Value>)> = features
            .iter()
            .map(|f| (esc(&text(&f["id"])), f["properties"].as_object().unwrap_or(&empty)))
            .collect();
        table(&mut out, &rows);
    } else if let Some(props) = doc["properties"].as_object() {
        table(&mut out, &[(esc(&text(&doc["id"])), props)]);
    }
    out.push_str("</body></html>");
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn data_is_text_and_only_own_links_are_anchors() {
        let doc = json!({
            "type": "FeatureCollection", "numberMatched": 1, "numberReturned": 1,
            "links": [
                {"href": "http://h/ogc/collections/x/items?limit=1", "rel": "self", "title": "this page"},
                {"href": "javascript:alert(1)", "rel": "next", "title": "<b>next</b>"},
            ],
            "features": [{"id": "<i>1</i>", "properties": {
                "name": "<script>alert(1)</script>", "proof": "https://x.test/a?b=1&c=\"2\"",
            }}],
        });
        let page = super::render(&doc);
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{page}");
        assert!(
            !page.contains("<script") && !page.contains("<i>") && !page.contains("<b>"),
            "{page}"
        );
        assert!(
            page.contains("<td>https://x.test/a?b=1&amp;c=&quot;2&quot;</td>"),
            "{page}"
        );
        assert!(!page.contains("href=\"javascript"), "{page}");
        assert!(
            page.contains("<a href=\"http://h/ogc/collections/x/items?limit=1&amp;f=html\">"),
            "{page}"
        );
    }
}
