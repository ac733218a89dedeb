package io.jenkins.plugins.bluegreen.central;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.StandardLocation;

/**
 * Build tooling of the Central build, not a declaration: stands in for the annotation processor of
 * org.jenkins-ci:annotation-indexer, which is not on Maven Central. For every annotation meta-annotated with
 * {@code @org.jvnet.hudson.annotation_indexer.Indexed} (such as {@code @Symbol}) it writes
 * {@code META-INF/annotations/<annotation>}, one binary class name per line, which is the index that
 * structs' SymbolLookup and workflow-cps read with {@code Index.list}.
 */
@SupportedAnnotationTypes("*")
public class AnnotationIndexProcessor extends AbstractProcessor {

    private static final String INDEXED = "org.jvnet.hudson.annotation_indexer.Indexed";

    private final Map<String, Set<String>> index = new TreeMap<>();

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (TypeElement annotation : annotations) {
            boolean indexed = annotation.getAnnotationMirrors().stream()
                    .anyMatch(m -> m.getAnnotationType().toString().equals(INDEXED));
            if (!indexed) {
                continue;
            }
            for (Element e : round.getElementsAnnotatedWith(annotation)) {
                TypeElement type = e instanceof TypeElement ? (TypeElement) e : (TypeElement) e.getEnclosingElement();
                index.computeIfAbsent(annotation.getQualifiedName().toString(), k -> new TreeSet<>())
                        .add(processingEnv.getElementUtils().getBinaryName(type).toString());
            }
        }
        if (round.processingOver()) {
            write();
        }
        return false;
    }

    private void write() {
        for (Map.Entry<String, Set<String>> e : index.entrySet()) {
            try (Writer w = processingEnv.getFiler()
                    .createResource(StandardLocation.CLASS_OUTPUT, "", "META-INF/annotations/" + e.getKey())
                    .openWriter()) {
                for (String name : e.getValue()) {
                    w.write(name);
                    w.write('\n');
                }
            } catch (IOException x) {
                processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR,
                        "cannot write the index of " + e.getKey() + ": " + x);
            }
        }
    }
}
