package io.switchboard.distribute.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.shipping.App;
import com.example.shipping.Config;
import com.example.shipping.Lambdas;
import com.example.shipping.SocketScale;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** computeThis refuses what cannot be shipped, before anything is sent, naming the culprit. */
class UnshippableFunctionTest {

    /** Nothing listens there: shipping never touches the network. */
    final Distribute sb = Distribute.connect("http://127.0.0.1:9", null);

    final Socket socket = new Socket();

    @AfterEach
    void close() throws Exception {
        socket.close();
        sb.close();
    }

    @Test
    void aCapturedSocketIsNamedByItsPosition() {
        assertThatThrownBy(() -> sb.computeThis(Lambdas.withSocket(socket)))
                .isInstanceOf(UnshippableFunctionException.class)
                .hasMessage("cannot ship lambda in com.example.shipping.Lambdas.withSocket: "
                        + "captured value #1 (java.net.Socket) is not serializable");
    }

    @Test
    void aLambdaUsingThisOfANonSerializableClassSaysSo() {
        assertThatThrownBy(() -> sb.computeThis(new App().adder()))
                .isInstanceOf(UnshippableFunctionException.class)
                .hasMessage("cannot ship lambda in com.example.shipping.App.adder: "
                        + "it captures 'this' of com.example.shipping.App, which is not serializable");
    }

    @Test
    void aSocketInsideACapturedValueIsNamedByItsPath() {
        assertThatThrownBy(() -> sb.computeThis(Lambdas.withConfig(new Config("c", socket))))
                .isInstanceOf(UnshippableFunctionException.class)
                .hasMessage("cannot ship lambda in com.example.shipping.Lambdas.withConfig: "
                        + "captured value #1 (com.example.shipping.Config) -> field 'socket' (java.net.Socket) "
                        + "is not serializable");
    }

    @Test
    void aCapturedPlainLambdaIsNamedAsALambda() {
        Function<Integer, Integer> plain = x -> x + 1;

        assertThatThrownBy(() -> sb.computeThis(Lambdas.withPlainLambda(plain)))
                .isInstanceOf(UnshippableFunctionException.class)
                .hasMessage("cannot ship lambda in com.example.shipping.Lambdas.withPlainLambda: "
                        + "captured value #1 (lambda from io.switchboard.distribute.client.UnshippableFunctionTest) "
                        + "is not serializable");
    }

    @Test
    void aSocketInACapturedListIsNamedByItsIndex() {
        List<Object> values = new ArrayList<>(List.of("a", socket));

        assertThatThrownBy(() -> sb.computeThis(Lambdas.withList(values)))
                .isInstanceOf(UnshippableFunctionException.class)
                .hasMessage(
                        "cannot ship lambda in com.example.shipping.Lambdas.withList: "
                                + "captured value #1 (java.util.ArrayList) -> element #2 (java.net.Socket) is not serializable");
    }

    @Test
    void aFunctionObjectsFieldIsNamed() {
        assertThatThrownBy(() -> sb.computeThis(new SocketScale(socket)))
                .isInstanceOf(UnshippableFunctionException.class)
                .hasMessage("cannot ship function object com.example.shipping.SocketScale: "
                        + "field 'socket' (java.net.Socket) is not serializable");
    }

    @Test
    void anArgumentThatCannotBeSerializedFailsAtApply() {
        RemoteFunction<Object, String> describe = sb.computeThis(Lambdas.describe());

        assertThatThrownBy(() -> describe.apply(socket))
                .isInstanceOf(UnshippableFunctionException.class)
                .hasMessage("cannot ship the arguments of lambda in com.example.shipping.Lambdas.describe: "
                        + "argument #1 (java.net.Socket) is not serializable");
    }

    @Test
    void aFunctionCapturingOnlySerializableValuesShips() {
        RemoteFunction<Integer, String> function = sb.computeThis(Lambdas.withConfig(new Config("c", null)));

        assertThat(function.bundleId()).matches("[0-9a-f]{64}");
        assertThat(function.toString()).startsWith("RemoteFunction[lambda in com.example.shipping.Lambdas.withConfig");
    }

    @Test
    void aMethodReferenceIsNamedAsOne() {
        RemoteFunction<Integer, Integer> twice = sb.computeThis(Lambdas.helperReference());

        assertThat(twice.toString()).startsWith("RemoteFunction[method reference com.example.shipping.Helper::twice");
    }
}
