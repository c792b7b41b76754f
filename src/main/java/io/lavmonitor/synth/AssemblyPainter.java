package io.lavmonitor.synth;

import static io.lavmonitor.synth.Scene.lerp;
import static io.lavmonitor.synth.Scene.seg;
import static io.lavmonitor.synth.StationPainter.done;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;

/** Pick a base plate, insert a part, fasten four screws, inspect, place on the conveyor. */
final class AssemblyPainter implements StationPainter {
  private static final double[] BIN = {0.16, 0.22};
  private static final double[] FIX = {0.42, 0.52};
  private static final double[] TRAY = {0.66, 0.2};
  private static final double[] CONV = {0.91, 0.5};
  private static final double[] TOOL_REST = {0.66, 0.74};
  private static final double[][] SCREWS = {{-0.06, -0.05}, {0.06, -0.05}, {0.06, 0.05},
      {-0.06, 0.05}};

  @Override
  public void paint(Graphics2D g, Plan.Shot s, Variation v, double time) {
    int p = s.phase();
    double u = s.u();
    double belt = p == 4 ? 2 * seg(u, 0.6, 1.0) : 0;
    Scene.background(g, v, belt);
    // Fixture on the table, parts bin, tray of small parts.
    g.setColor(new Color(90, 90, 95));
    g.setStroke(new BasicStroke(0.008f));
    g.draw(new RoundRectangle2D.Double(FIX[0] - 0.11, FIX[1] - 0.09, 0.22, 0.18, 0.03, 0.03));
    g.setColor(new Color(70, 90, 70));
    g.fill(new Rectangle2D.Double(BIN[0] - 0.09, BIN[1] - 0.08, 0.18, 0.16));
    g.setColor(new Color(60, 60, 75));
    g.fill(new Rectangle2D.Double(TRAY[0] - 0.07, TRAY[1] - 0.06, 0.14, 0.12));
    g.setColor(v.part.darker());
    for (int i = 0; i < 4; i++) {
      g.fill(new Ellipse2D.Double(TRAY[0] - 0.05 + 0.025 * i, TRAY[1] - 0.02, 0.02, 0.02));
    }

    boolean missing = s.missingPart();
    boolean partIn = !missing && (done(s, 1) || (p == 1 && u > 0.8));
    int screws = done(s, 2) ? 4 : p == 2 ? (int) Math.floor(u * 4) : 0;
    double[] hand;
    double[] base;
    double lift = 0;
    double roll = 0;
    boolean partInHand = false;
    boolean toolInHand = false;
    double toolAngle = 0;
    if (p == Plan.IDLE) {
      hand = Scene.idleHand(time);
      base = BIN;
    } else if (p == 0) {
      hand = u < 0.4 ? lerp(Scene.REST, BIN, seg(u, 0, 0.4))
          : u < 0.5 ? BIN : lerp(BIN, FIX, seg(u, 0.5, 1));
      base = u < 0.5 ? BIN : hand;
    } else {
      base = done(s, 0) || p == 3 || p == 4 ? FIX : BIN;
      hand = Scene.REST;
      if (p == 1) {
        hand = u < 0.35 ? lerp(FIX, TRAY, seg(u, 0, 0.35)) : u < 0.45 ? TRAY
            : u < 0.8 ? lerp(TRAY, FIX, seg(u, 0.45, 0.8))
            : new double[] {FIX[0] + 0.01 * Math.sin(u * 60), FIX[1]};
        partInHand = !missing && u >= 0.4 && u <= 0.8;
      } else if (p == 2) {
        int q = Math.min(3, (int) Math.floor(u * 4));
        double w = u * 4 - q;
        double[] target = {base[0] + SCREWS[q][0], base[1] + SCREWS[q][1]};
        double[] from = q == 0 ? TOOL_REST
            : new double[] {base[0] + SCREWS[q - 1][0], base[1] + SCREWS[q - 1][1]};
        hand = w < 0.3 ? lerp(from, target, seg(w, 0, 0.3)) : target;
        toolInHand = true;
        toolAngle = w < 0.3 ? 0 : (w - 0.3) * 4 * Math.PI;
      } else if (p == 3) {
        lift = Math.sin(Math.PI * u);
        roll = 0.25 * Math.sin(2 * Math.PI * u);
        hand = new double[] {FIX[0] + 0.02 * roll, FIX[1] + 0.07};
      } else if (p == 4) {
        if (u < 0.6) {
          hand = lerp(FIX, CONV, seg(u, 0, 0.6));
          base = hand;
        } else {
          double slide = seg(u, 0.6, 1.0);
          base = new double[] {CONV[0], CONV[1] - 0.9 * slide};
          hand = lerp(CONV, Scene.REST, seg(u, 0.7, 1.0));
        }
      }
    }
    boolean gone = done(s, 4) && p != 4;
    if (!gone) {
      drawBase(g, v, base, lift, roll, partIn || (p == 4 && !missing && done(s, 1)), screws);
    }
    if (!toolInHand) {
      drawTool(g, TOOL_REST, 0.3);
    }
    if (partInHand) {
      g.setColor(v.part);
      g.fill(new Ellipse2D.Double(hand[0] - 0.025, hand[1] - 0.045, 0.05, 0.05));
    }
    if (s.foreign()) {
      Scene.intruder(g, v, s.foreignU());
    }
    Scene.arm(g, v, hand);
    if (toolInHand) {
      drawTool(g, hand, toolAngle);
    }
  }

  private static void drawBase(Graphics2D g, Variation v, double[] at, double lift, double roll,
                               boolean part, int screws) {
    AffineTransform keep = g.getTransform();
    g.translate(at[0], at[1]);
    g.rotate(roll);
    double k = 1 + 0.15 * lift;
    g.scale(k, k);
    g.setColor(new Color(30, 30, 30, 70));
    g.fill(new RoundRectangle2D.Double(-0.08 + 0.02 * lift, -0.065 + 0.02 * lift, 0.16, 0.13,
        0.02, 0.02));
    g.setColor(new Color(170, 172, 178));
    g.fill(new RoundRectangle2D.Double(-0.08, -0.065, 0.16, 0.13, 0.02, 0.02));
    g.setColor(new Color(140, 142, 148));
    g.setStroke(new BasicStroke(0.004f));
    g.draw(new RoundRectangle2D.Double(-0.08, -0.065, 0.16, 0.13, 0.02, 0.02));
    if (part) {
      g.setColor(v.part);
      g.fill(new Ellipse2D.Double(-0.03, -0.03, 0.06, 0.06));
      g.setColor(v.part.darker());
      g.draw(new Ellipse2D.Double(-0.03, -0.03, 0.06, 0.06));
    }
    for (int i = 0; i < 4; i++) {
      boolean tight = i < screws;
      g.setColor(tight ? new Color(70, 70, 75) : new Color(215, 215, 220));
      g.fill(new Ellipse2D.Double(SCREWS[i][0] - 0.009, SCREWS[i][1] - 0.009, 0.018, 0.018));
      if (tight) {
        g.setColor(new Color(200, 200, 205));
        g.draw(new Line2D.Double(SCREWS[i][0] - 0.006, SCREWS[i][1], SCREWS[i][0] + 0.006,
            SCREWS[i][1]));
      }
    }
    g.setTransform(keep);
  }

  private static void drawTool(Graphics2D g, double[] at, double angle) {
    AffineTransform keep = g.getTransform();
    g.translate(at[0], at[1]);
    g.rotate(angle * 0.15);
    g.setColor(new Color(200, 40, 40));
    g.fill(new RoundRectangle2D.Double(-0.012, 0.02, 0.024, 0.07, 0.01, 0.01));
    g.setColor(new Color(190, 190, 195));
    g.setStroke(new BasicStroke(0.006f));
    g.draw(new Line2D.Double(0, 0.02, 0, -0.02));
    g.setTransform(keep);
  }
}
