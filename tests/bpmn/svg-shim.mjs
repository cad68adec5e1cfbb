// The SVG geometry jsdom lacks, enough for bpmn-js to import and lay out a
// diagram without a browser: matrices, transform lists, points, boxes.
export function shim(w) {
  class Matrix {
    constructor(a = 1, b = 0, c = 0, d = 1, e = 0, f = 0) { Object.assign(this, { a, b, c, d, e, f }); }
    multiply(m) {
      return new Matrix(this.a * m.a + this.c * m.b, this.b * m.a + this.d * m.b, this.a * m.c + this.c * m.d, this.b * m.c + this.d * m.d, this.a * m.e + this.c * m.f + this.e, this.b * m.e + this.d * m.f + this.f);
    }
    translate(x, y) { return this.multiply(new Matrix(1, 0, 0, 1, x, y)); }
    scale(s) { return this.multiply(new Matrix(s, 0, 0, s, 0, 0)); }
    rotate() { return this; }
    inverse() {
      const det = this.a * this.d - this.b * this.c || 1;
      return new Matrix(this.d / det, -this.b / det, -this.c / det, this.a / det, (this.c * this.f - this.d * this.e) / det, (this.b * this.e - this.a * this.f) / det);
    }
  }
  const transformOf = (m = new Matrix()) => ({
    matrix: m,
    setMatrix(x) { this.matrix = x; },
    setTranslate(x, y) { this.matrix = new Matrix(1, 0, 0, 1, x, y); },
    setScale(x, y) { this.matrix = new Matrix(x, 0, 0, y ?? x, 0, 0); },
    setRotate() {},
  });
  const lists = new WeakMap();
  const listOf = (el) => {
    if (!lists.has(el)) {
      const items = [];
      lists.set(el, {
        get numberOfItems() { return items.length; },
        clear() { items.length = 0; },
        appendItem(t) { items.push(t); return t; },
        getItem(i) { return items[i]; },
        createSVGTransformFromMatrix(m) { return transformOf(m); },
        consolidate() { return items.length ? transformOf(items.reduce((acc, t) => acc.multiply(t.matrix), new Matrix())) : null; },
      });
    }
    return lists.get(el);
  };
  const P = w.SVGElement.prototype;
  w.SVGMatrix = Matrix;
  Object.defineProperty(P, "transform", { get() { return { baseVal: listOf(this) }; } });
  P.createSVGMatrix = () => new Matrix();
  P.createSVGTransform = () => transformOf();
  P.createSVGPoint = () => ({ x: 0, y: 0, matrixTransform(m) { return { x: m.a * this.x + m.c * this.y + m.e, y: m.b * this.x + m.d * this.y + m.f }; } });
  P.getCTM = function () { return listOf(this).consolidate()?.matrix ?? new Matrix(); };
  P.getScreenCTM = P.getCTM;
  P.getBBox = () => ({ x: 0, y: 0, width: 10, height: 10 });
  P.getComputedTextLength = () => 10;
  w.HTMLCanvasElement.prototype.getContext = () => ({ measureText: (t) => ({ width: t.length * 7 }), font: "" });
  w.structuredClone = globalThis.structuredClone;
}
