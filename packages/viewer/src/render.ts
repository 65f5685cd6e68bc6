/**
 * Hands draw commands to a p5 instance: the only file besides sketch.ts that talks to p5.
 */
import type p5 from 'p5';
import type { DrawCmd } from './draw/commands';

export const FONT = 'Inter, "Segoe UI", system-ui, -apple-system, Roboto, Helvetica, Arial, sans-serif';

/** Draws `commands` in order. */
export function renderCommands(p: p5, commands: readonly DrawCmd[]): void {
  const ctx = p.drawingContext as CanvasRenderingContext2D;
  for (const c of commands) {
    switch (c.kind) {
      case 'rect':
        paint(p, c.fill, c.stroke, c.weight);
        if (c.dash) ctx.setLineDash(c.dash);
        if (c.radius) p.rect(c.x, c.y, c.w, c.h, c.radius);
        else p.rect(c.x, c.y, c.w, c.h);
        if (c.dash) ctx.setLineDash([]);
        break;
      case 'circle':
        paint(p, c.fill, c.stroke, c.weight);
        p.circle(c.x, c.y, c.d);
        break;
      case 'line':
        p.stroke(c.stroke);
        p.strokeWeight(c.weight);
        if (c.dash) ctx.setLineDash(c.dash);
        p.line(c.x1, c.y1, c.x2, c.y2);
        if (c.dash) ctx.setLineDash([]);
        break;
      case 'polyline':
        p.noFill();
        p.stroke(c.stroke);
        p.strokeWeight(c.weight);
        p.beginShape();
        for (let i = 0; i < c.points.length; i += 2) {
          const x = c.points[i]!;
          const y = c.points[i + 1]!;
          if (Number.isNaN(x) || Number.isNaN(y)) {
            p.endShape();
            p.beginShape();
            continue;
          }
          p.vertex(x, y);
        }
        p.endShape();
        break;
      case 'dots': {
        // Straight to the 2D context: hundreds of dots without p5's per-call overhead.
        ctx.fillStyle = c.fill;
        const r = c.d / 2;
        ctx.beginPath();
        for (let i = 0; i < c.points.length; i += 2) {
          const x = c.points[i]!;
          const y = c.points[i + 1]!;
          if (Number.isNaN(y)) continue;
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, Math.PI * 2);
        }
        ctx.fill();
        break;
      }
      case 'polygon':
        paint(p, c.fill, c.stroke, c.weight);
        p.beginShape();
        for (let i = 0; i < c.points.length; i += 2) p.vertex(c.points[i]!, c.points[i + 1]!);
        p.endShape(p.CLOSE);
        break;
      case 'text':
        // Straight to the 2D context: p5 quotes a font list as one family name, which the canvas refuses.
        ctx.save();
        ctx.font = `${c.bold ? 600 : 400} ${c.size}px ${FONT}`;
        ctx.fillStyle = c.fill;
        ctx.textAlign = c.align ?? 'left';
        ctx.textBaseline = c.baseline ?? 'alphabetic';
        if (c.rotate) {
          ctx.translate(c.x, c.y);
          ctx.rotate(c.rotate);
          ctx.fillText(c.text, 0, 0);
        } else {
          ctx.fillText(c.text, c.x, c.y);
        }
        ctx.restore();
        break;
    }
  }
}

function paint(p: p5, fill: string | undefined, stroke: string | undefined, weight: number | undefined): void {
  if (fill) p.fill(fill);
  else p.noFill();
  if (stroke) {
    p.stroke(stroke);
    p.strokeWeight(weight ?? 1);
  } else {
    p.noStroke();
  }
}
