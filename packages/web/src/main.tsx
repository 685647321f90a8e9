import { render } from "preact";
import { App, applyLink } from "./app.js";
import "./styles.css";

// A permalink's settings apply before the first render, so each view starts from them.
void applyLink(location.hash).finally(() => render(<App />, document.getElementById("app")!));
