package dev.timon.controllers;

import dev.timon.controllers.serviceaccount.ServiceAccountController;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The controllers the controller manager runs, by name (the names upstream's --controllers flag uses). */
public final class Controllers {

    private Controllers() {
    }

    public static Map<String, Function<ControllerContext, Controller>> all() {
        Map<String, Function<ControllerContext, Controller>> controllers = new LinkedHashMap<>();
        controllers.put("serviceaccount", ServiceAccountController::new);
        return controllers;
    }
}
