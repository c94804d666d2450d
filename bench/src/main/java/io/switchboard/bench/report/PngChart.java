package io.switchboard.bench.report;

import io.switchboard.bench.BenchResult;
import io.switchboard.bench.BenchResult.StepResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Renders the main chart — latency percentiles and throughput per step — as a PNG for READMEs,
 * with JFreeChart (headless AWT; no display needed). The x axis is the step's concurrency in the
 * closed model and its rate in the open model.
 */
final class PngChart {

    /** Image size in pixels: readable on a README page. */
    static final int WIDTH = 1000, HEIGHT = 560;

    /** Colours of p50, p90, p99, p99.9 and max: distinct, and readable on white. */
    private static final Color[] LATENCY_COLORS = {
        new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0xd62728), new Color(0x9467bd)
    };

    public void write(BenchResult result, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        ChartUtils.saveChartAsPNG(file.toFile(), chart(result), WIDTH, HEIGHT);
    }

    JFreeChart chart(BenchResult result) {
        boolean open = result.model().equals("open");
        XYSeriesCollection latency = new XYSeriesCollection();
        XYSeries p50 = new XYSeries("p50"),
                p90 = new XYSeries("p90"),
                p99 = new XYSeries("p99"),
                p999 = new XYSeries("p99.9"),
                max = new XYSeries("max");
        XYSeries throughput = new XYSeries("throughput (req/s)");
        for (StepResult step : result.steps()) {
            double x = open ? step.rate() : step.concurrency();
            p50.addOrUpdate(x, step.latency().p50());
            p90.addOrUpdate(x, step.latency().p90());
            p99.addOrUpdate(x, step.latency().p99());
            p999.addOrUpdate(x, step.latency().p999());
            max.addOrUpdate(x, step.latency().max());
            throughput.addOrUpdate(x, step.throughput());
        }
        latency.addSeries(p50);
        latency.addSeries(p90);
        latency.addSeries(p99);
        latency.addSeries(p999);
        latency.addSeries(max);
        JFreeChart chart = ChartFactory.createXYLineChart(
                "Latency and throughput per step",
                open ? "offered rate (req/s)" : "concurrency",
                "latency (ms)",
                latency,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        chart.addSubtitle(new TextTitle(result.model() + " model, " + result.target()));
        XYPlot plot = chart.getXYPlot();
        if (!open && result.steps().size() > 2) {
            // Sweeps usually double the concurrency: a base-2 axis spaces the steps evenly.
            LogAxis concurrency = new LogAxis("concurrency");
            concurrency.setBase(2);
            concurrency.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            concurrency.setNumberFormatOverride(new DecimalFormat("0"));
            plot.setDomainAxis(concurrency);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer latencyRenderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < LATENCY_COLORS.length; i++) {
            latencyRenderer.setSeriesPaint(i, LATENCY_COLORS[i]);
            latencyRenderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(0, latencyRenderer);
        NumberAxis throughputAxis = new NumberAxis("throughput (req/s)");
        plot.setRangeAxis(1, throughputAxis);
        plot.setDataset(1, new XYSeriesCollection(throughput));
        plot.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer throughputRenderer = new XYLineAndShapeRenderer(true, true);
        throughputRenderer.setSeriesPaint(0, Color.BLACK);
        throughputRenderer.setSeriesStroke(
                0, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
        plot.setRenderer(1, throughputRenderer);
        return chart;
    }
}
