package io.streamingpipeline.ingestor.testing;

import io.restassured.RestAssured;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scrape of {@code /q/metrics} with a lookup by name and one label. */
public final class Metrics {

    private final String text;

    private Metrics(String text) {
        this.text = text;
    }

    public static Metrics scrape() {
        return new Metrics(RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    public static Metrics of(String text) {
        return new Metrics(text);
    }

    public String text() {
        return text;
    }

    /** The value of an unlabelled sample, or the sum over its label sets; 0 when absent. */
    public double value(String name) {
        return sum(Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+|NaN)$", Pattern.MULTILINE));
    }

    /** The value of the sample with {@code label="value"}; 0 when absent. */
    public double value(String name, String label, String value) {
        return sum(Pattern.compile("^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(label + "=\"" + value + "\"")
                + "[^}]*} ([0-9.eE+-]+)$", Pattern.MULTILINE));
    }

    private double sum(Pattern p) {
        Matcher m = p.matcher(text);
        double total = 0;
        while (m.find()) {
            String v = m.group(m.groupCount());
            if (!v.equals("NaN")) {
                total += Double.parseDouble(v);
            }
        }
        return total;
    }
}
