package io.switchboard.distribute.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.parcels.Parcel;
import com.example.shipping.Lambdas;
import com.example.shipping.Point;
import com.example.shipping.Scale;
import io.switchboard.distribute.client.internal.Bundle;
import io.switchboard.distribute.client.internal.FakeWorker;
import io.switchboard.distribute.client.internal.Invocation;
import java.io.ByteArrayInputStream;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class ShippingTest {

    final BundleBuilder builder = new BundleBuilder();

    @Test
    void aLambdasBundleHoldsItsCapturingClassAndWhatItCallsButNotTheJdkNorTheClient() {
        Bundle bundle =
                ShippedFunction.ship(Lambdas.twiceThroughHelper(), 1, builder).bundle();

        assertThat(bundle.classes())
                .contains("com/example/shipping/Lambdas", "com/example/shipping/Helper")
                .doesNotContain("com/example/shipping/Unused")
                .noneMatch(name -> name.startsWith("java/"))
                .noneMatch(name -> name.startsWith("io/switchboard/distribute/client/"));
    }

    @Test
    void aFunctionObjectsBundleHoldsItsOwnClass() {
        Bundle bundle = ShippedFunction.ship(new Scale(3), 1, builder).bundle();

        assertThat(bundle.classes()).containsExactly("com/example/shipping/Scale");
    }

    @Test
    void theSameClassesGiveTheSameBytesAndTheIdIsTheirSha256() throws Exception {
        Bundle first = ShippedFunction.ship(Lambdas.square(), 1, builder).bundle();
        Bundle second =
                ShippedFunction.ship(Lambdas.square(), 1, new BundleBuilder()).bundle();

        assertThat(second.jar()).isEqualTo(first.jar());
        assertThat(second.id()).isEqualTo(first.id()).isEqualTo(BundleBuilder.sha256(first.jar()));
        assertThat(first.id()).matches("[0-9a-f]{64}");
    }

    @Test
    void theJarHasSortedClassEntriesAtTheZipEpochAndNoManifest() throws Exception {
        Bundle bundle =
                ShippedFunction.ship(Lambdas.twiceThroughHelper(), 1, builder).bundle();

        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle.jar()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                names.add(entry.getName());
                assertThat(entry.getTimeLocal()).isEqualTo(LocalDateTime.of(1980, 1, 1, 0, 0));
                assertThat(entry.getExtra()).isNull();
            }
        }
        assertThat(names).isSorted().allMatch(name -> name.endsWith(".class"));
        assertThat(names).doesNotContain("META-INF/MANIFEST.MF");
        assertThat(names).hasSize(bundle.classes().size());
    }

    @Test
    void argumentsOfJdkTypesTravelInTheFunctionsOwnBundle() {
        ShippedFunction shipped = ShippedFunction.ship(Lambdas.describe(), 1, builder);

        assertThat(shipped.invocation(List.of(1, "two"), null).bundle()).isSameAs(shipped.bundle());
    }

    @Test
    void anArgumentOfAClassTheBundleLacksGetsABundleBuiltOncePerSetOfClasses() {
        ShippedFunction shipped = ShippedFunction.ship(Lambdas.describe(), 1, builder);

        Bundle withParcel = shipped.invocation(new Parcel("a"), null).bundle();
        Bundle again = shipped.invocation(new Parcel("b"), null).bundle();

        assertThat(shipped.bundle().classes()).doesNotContain("com/example/parcels/Parcel");
        assertThat(withParcel.classes())
                .contains("com/example/parcels/Parcel")
                .containsAll(shipped.bundle().classes());
        assertThat(again).isSameAs(withParcel);
    }

    @Test
    void aFunctionReachingMoreClassesThanTheBoundFailsNamingThePackagesToBlame() {
        BundleBuilder tiny = new BundleBuilder(1, BundleBuilder.MAX_BYTES);
        SerializableFunction<Integer, Integer> function = Lambdas.twiceThroughHelper();

        assertThatThrownBy(() -> ShippedFunction.ship(function, 1, tiny))
                .isInstanceOf(UnshippableFunctionException.class)
                .hasMessageMatching("cannot ship lambda in com\\.example\\.shipping\\.Lambdas\\.twiceThroughHelper: "
                        + "the classes it reaches exceed the bundle's bounds of 1 classes and 16777216 bytes "
                        + "\\(2 classes and \\d+ bytes so far, most in com\\.example \\(2\\)\\); "
                        + "declare the function in a small class of its own");
    }

    @Test
    void anArgumentWhoseClassFileCannotBeReadFailsAtApplyRatherThanOnTheWorker() throws Exception {
        byte[] parcelClass;
        try (var in = Parcel.class.getResourceAsStream("Parcel.class")) {
            parcelClass = in.readAllBytes();
        }
        ClassLoader generating = new ClassLoader(ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (!name.equals(Parcel.class.getName())) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, parcelClass, 0, parcelClass.length);
            }
        };
        Object generated = generating
                .loadClass(Parcel.class.getName())
                .getConstructor(String.class)
                .newInstance("p");
        ShippedFunction shipped = ShippedFunction.ship(Lambdas.describe(), 1, builder);

        assertThatThrownBy(() -> shipped.invocation(generated, null))
                .isInstanceOf(UnshippableFunctionException.class)
                .hasMessage("cannot ship lambda in com.example.shipping.Lambdas.describe: the class file of "
                        + "com.example.parcels.Parcel cannot be read from its class loader (was it generated at run time?), "
                        + "so no worker could load it");
    }

    @Test
    void aLambdaRunsFromItsBundleAloneInAFreshClassLoader() throws Exception {
        ShippedFunction shipped = ShippedFunction.ship(Lambdas.twiceThroughHelper(), 1, builder);
        ShippedFunction.Shipment shipment = shipped.invocation(21, null);

        assertThat(FakeWorker.run(shipment.bundle().jar(), shipment.payload())).isEqualTo(42);
    }

    @Test
    void theFunctionAWorkerDeserializesIsTheBundlesCopyNotTheApplicationsClass() throws Exception {
        ShippedFunction.Shipment shipment =
                ShippedFunction.ship(Lambdas.square(), 1, builder).invocation(3, null);
        ClassLoader worker = FakeWorker.loaderOf(shipment.bundle().jar());

        Invocation invocation = (Invocation) FakeWorker.deserialize(shipment.payload(), worker);

        assertThat(invocation.function().getClass().getClassLoader()).isSameAs(worker);
        assertThat(invocation.call()).isEqualTo(9);
    }

    @Test
    void methodReferencesBiFunctionsSuppliersAndCapturedLambdasRunFromTheirBundles() throws Exception {
        assertThat(runRemotely(ShippedFunction.ship(Lambdas.helperReference(), 1, builder), 5, null))
                .isEqualTo(10);
        assertThat(runRemotely(ShippedFunction.ship(Lambdas.add(), 2, builder), 2, 3))
                .isEqualTo(5);
        assertThat(runRemotely(ShippedFunction.ship(Lambdas.greeting("ada"), 0, builder), null, null))
                .isEqualTo("hello ada");
        assertThat(runRemotely(ShippedFunction.ship(Lambdas.plusOneAfter(Lambdas.square()), 1, builder), 4, null))
                .isEqualTo(17);
        assertThat(runRemotely(ShippedFunction.ship(new Scale(3), 1, builder), 4, null))
                .isEqualTo(12);
    }

    @Test
    void aUserDefinedResultComesBackAsTheApplicationsOwnClass() throws Exception {
        ShippedFunction shipped = ShippedFunction.ship(Lambdas.mirror(), 1, builder);
        ShippedFunction.Shipment shipment = shipped.invocation(new Point(1, 2), null);

        Object remote = FakeWorker.run(shipment.bundle().jar(), shipment.payload());
        Object decoded = Results.deserialize(FakeWorker.serialize(remote), shipped.classLoader());

        assertThat(remote.getClass()).isNotSameAs(Point.class);
        assertThat(decoded).isEqualTo(new Point(2, 1));
    }

    private static Object runRemotely(ShippedFunction shipped, Object first, Object second) throws Exception {
        ShippedFunction.Shipment shipment = shipped.invocation(first, second);
        return FakeWorker.run(shipment.bundle().jar(), shipment.payload());
    }
}
