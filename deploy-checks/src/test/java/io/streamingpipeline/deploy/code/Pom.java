package io.streamingpipeline.deploy.code;

import io.streamingpipeline.deploy.compose.Repo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** A POM of this repository, read by an XML parser: its version, its properties, its dependencies. */
public final class Pom {

    private final String file;
    private final Element project;

    private Pom(String file, Element project) {
        this.file = file;
        this.project = project;
    }

    /** {@code relative} to the repository root, e.g. {@code pom.xml}, {@code local-stack/engines/cassandra/pom.xml}. */
    public static Pom of(String relative) {
        try (InputStream in = Files.newInputStream(Repo.path(relative))) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setNamespaceAware(false);
            Document document = factory.newDocumentBuilder().parse(in);
            return new Pom(relative, document.getDocumentElement());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative, e);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException(relative + " is not a readable POM: " + e, e);
        }
    }

    /** The images this repository builds are tagged with the root project's version without -SNAPSHOT. */
    public static String imageTag() {
        return of("pom.xml").version().replace("-SNAPSHOT", "");
    }

    /** {@code <version>} of the project, else of its parent. */
    public String version() {
        Element own = child(project, "version");
        if (own != null) {
            return own.getTextContent().strip();
        }
        Element parent = child(project, "parent");
        Element inherited = parent == null ? null : child(parent, "version");
        if (inherited == null) {
            throw new AssertionError(file + " has no <version>");
        }
        return inherited.getTextContent().strip();
    }

    /** A {@code <properties>} entry. */
    public String property(String name) {
        Element properties = child(project, "properties");
        Element property = properties == null ? null : child(properties, name);
        if (property == null) {
            throw new AssertionError(file + " has no property <" + name + ">");
        }
        return property.getTextContent().strip();
    }

    /** Whether {@code <dependencies>} (not dependencyManagement) names the artifact. */
    public boolean dependsOn(String groupId, String artifactId) {
        Element dependencies = child(project, "dependencies");
        if (dependencies == null) {
            return false;
        }
        NodeList children = dependencies.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element dependency
                    && text(dependency, "groupId").equals(groupId)
                    && text(dependency, "artifactId").equals(artifactId)) {
                return true;
            }
        }
        return false;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? "" : element.getTextContent().strip();
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }
}
