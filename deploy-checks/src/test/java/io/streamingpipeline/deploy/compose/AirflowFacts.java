package io.streamingpipeline.deploy.compose;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the Airflow side (airflow/dags, the Postgres init script, Dockerfile.airflow) defines, read from its files. */
public final class AirflowFacts {

    public static final String SETTINGS = "airflow/dags/dayjobs/settings.py";
    public static final String DAY_JOB = "airflow/dags/dayjobs/day_job.py";
    public static final String DOCKERFILE = "src/main/docker/Dockerfile.airflow";
    public static final String POSTGRES_INIT = "k8s/components/airflow/scripts/postgres-create-databases.sh";
    /** The Spark master's REST submission port (Spark's default spark.master.rest.port). */
    public static final int REST_PORT = 6066;
    /** Airflow's own services, as its Compose file and Helm chart name them. */
    public static final Set<String> AIRFLOW_COMMANDS = Set.of("api-server", "scheduler", "dag-processor");

    private AirflowFacts() {}

    /** The keys of settings.py's ENV dict: every variable the day jobs read (all required). */
    public static Set<String> dayJobEnvNames() {
        String source = Repo.read(SETTINGS);
        Matcher dict = Pattern.compile("(?s)\\nENV = \\{(.*?)\\n}").matcher(source);
        if (!dict.find()) {
            throw new AssertionError("no ENV = {...} in " + SETTINGS);
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher key = Pattern.compile("(?m)^\\s+\"([A-Z][A-Z0-9_]*)\":").matcher(dict.group(1));
        while (key.find()) {
            names.add(key.group(1));
        }
        return names;
    }

    /** The optional variable of extra Spark properties (settings.py EXTRA_CONF_ENV). */
    public static String extraConfEnvName() {
        return group(SETTINGS, "EXTRA_CONF_ENV = \"([A-Z_]+)\"");
    }

    /** The main class the DAGs submit (day_job.py MAIN_CLASS). */
    public static String mainClass() {
        return group(DAY_JOB, "MAIN_CLASS = \"([\\w.]+)\"");
    }

    /** The Airflow image the DAG image extends: {@code apache/airflow:<version>}. */
    public static String airflowBaseImage() {
        return group(DOCKERFILE, "(?m)^FROM (apache/airflow:\\S+)$");
    }

    /** The databases and roles the Postgres init script creates. */
    public static Set<String> createdDatabases() {
        return all(POSTGRES_INIT, "CREATE DATABASE (\\w+) OWNER \\w+;");
    }

    public static Set<String> createdRoles() {
        return all(POSTGRES_INIT, "CREATE ROLE (\\w+) LOGIN PASSWORD :'\\w+';");
    }

    private static String group(String file, String regex) {
        Matcher m = Pattern.compile(regex).matcher(Repo.read(file));
        if (!m.find()) {
            throw new AssertionError(file + " has no " + regex);
        }
        return m.group(1);
    }

    private static Set<String> all(String file, String regex) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = Pattern.compile(regex).matcher(Repo.read(file));
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
